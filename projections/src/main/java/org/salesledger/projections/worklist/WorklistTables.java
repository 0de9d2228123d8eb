package org.salesledger.projections.worklist;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The work lists' tables, rebuilt together. */
@Configuration
class WorklistTables {

    static final String BEAN = "worklistReadModelTables";

    @Bean(BEAN)
    ReadModelTables worklistTables() {
        return new ReadModelTables("worklists", WorklistProjection.GROUP,
                List.of("worklist_customer", "worklist_escalation", "worklist_todo"));
    }
}
