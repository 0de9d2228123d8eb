package org.salesledger.projections.talktrack;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The talk-track effect's tables, rebuilt together. */
@Configuration
class TalkTrackTables {

    static final String BEAN = "talkTrackReadModelTables";

    @Bean(BEAN)
    ReadModelTables talkTrackTables() {
        return new ReadModelTables("talktrack", TalkTrackProjection.GROUP,
                List.of("talktrack_use", "talktrack_contract", "talktrack_cycle"));
    }
}
