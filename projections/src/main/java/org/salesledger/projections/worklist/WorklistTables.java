package org.salesledger.projections.worklist;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelName;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The work lists' tables, rebuilt together. */
@Configuration
class WorklistTables {

    static final String BEAN = "worklistReadModelTables";
    /**
     * The version of what the projection writes: raise it with a change that makes the rows already written wrong,
     * and the query side rebuilds the read model when it starts (docs/adr/0026).
     */
    static final int SCHEMA_VERSION = 1;

    @Bean(BEAN)
    ReadModelTables worklistTables() {
        return new ReadModelTables(ReadModelName.WORKLISTS, WorklistProjection.GROUP,
                List.of("worklist_customer", "worklist_escalation", "worklist_todo"))
                .withSchemaVersion(SCHEMA_VERSION);
    }
}
