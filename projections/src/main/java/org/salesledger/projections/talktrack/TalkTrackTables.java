package org.salesledger.projections.talktrack;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelName;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The talk-track effect's tables, rebuilt together. */
@Configuration
class TalkTrackTables {

    static final String BEAN = "talkTrackReadModelTables";
    /**
     * The version of what the projection writes: raise it with a change that makes the rows already written wrong,
     * and the query side rebuilds the read model when it starts (docs/adr/0026).
     */
    static final int SCHEMA_VERSION = 2; // 2: talktrack_customer, for the scope (issue 17)

    @Bean(BEAN)
    ReadModelTables talkTrackTables() {
        return new ReadModelTables(ReadModelName.TALKTRACK, TalkTrackProjection.GROUP,
                List.of("talktrack_use", "talktrack_contract", "talktrack_cycle", "talktrack_customer"))
                .withSchemaVersion(SCHEMA_VERSION);
    }
}
