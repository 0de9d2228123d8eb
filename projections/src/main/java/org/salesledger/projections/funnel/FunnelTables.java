package org.salesledger.projections.funnel;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The funnel's tables, rebuilt together. */
@Configuration
class FunnelTables {

    static final String BEAN = "funnelReadModelTables";

    /**
     * During a rebuild the projection leaves the tallies out (see {@link FunnelStore#talliesLater()}): they are
     * counted from the rebuilt customers and stays in one go, in the switch's transaction. The query indexes of
     * {@code funnel_customer} are built after the replay.
     */
    @Bean(BEAN)
    ReadModelTables funnelTables() {
        return new ReadModelTables("funnel", FunnelProjection.GROUP, List.of("funnel_customer", "funnel_stage_stay",
                "funnel_tally", "funnel_stay_tally"), (db, tables) -> new FunnelStore(db, tables).countTallies())
                .withQueryIndexesBuiltAfterReplay(); // the projection reads customers and stays by primary key
    }
}
