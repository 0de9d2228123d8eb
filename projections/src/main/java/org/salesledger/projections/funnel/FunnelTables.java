package org.salesledger.projections.funnel;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelName;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The funnel's tables, rebuilt together. */
@Configuration
class FunnelTables {

    static final String BEAN = "funnelReadModelTables";
    /**
     * The version of what the projection writes: raise it with a change that makes the rows already written wrong,
     * and the query side rebuilds the read model when it starts (docs/adr/0026).
     */
    static final int SCHEMA_VERSION = 2; // 2: no owner while in the public pool (issue 17)

    /**
     * During a rebuild the projection leaves the tallies out (see {@link FunnelStore#talliesLater()}): they are
     * counted from the rebuilt customers and stays in one go, in the switch's transaction. The query indexes of
     * {@code funnel_customer} are built after the replay.
     */
    @Bean(BEAN)
    ReadModelTables funnelTables() {
        return new ReadModelTables(ReadModelName.FUNNEL, FunnelProjection.GROUP, List.of("funnel_customer",
                "funnel_stage_stay", "funnel_tally", "funnel_stay_tally"),
                (db, tables) -> new FunnelStore(db, tables).countTallies())
                .withQueryIndexesBuiltAfterReplay() // the projection reads customers and stays by primary key
                .withSchemaVersion(SCHEMA_VERSION);
    }
}
