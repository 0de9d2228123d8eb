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
     * counted from the rebuilt customers and stays in one go, in the switch's transaction.
     */
    @Bean(BEAN)
    ReadModelTables funnelTables() {
        return new ReadModelTables("funnel", FunnelProjection.GROUP, List.of("funnel_customer", "funnel_stage_stay",
                "funnel_tally", "funnel_stay_tally"), (db, tables) -> new FunnelStore(db, tables).countTallies());
    }
}
