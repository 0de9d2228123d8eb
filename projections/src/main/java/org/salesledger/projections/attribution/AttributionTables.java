package org.salesledger.projections.attribution;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelName;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The attribution read model's tables, rebuilt together. */
@Configuration
class AttributionTables {

    static final String BEAN = "attributionReadModelTables";
    /**
     * The version of what the projection writes: raise it with a change that makes the rows already written wrong,
     * and the query side rebuilds the read model when it starts (docs/adr/0026).
     */
    static final int SCHEMA_VERSION = 2; // 2: no owner while in the public pool (issue 17)

    @Bean(BEAN)
    ReadModelTables attributionTables() {
        return new ReadModelTables(ReadModelName.ATTRIBUTION, AttributionProjection.GROUP, List.of(
                "attribution_definition", "attribution_customer", "attribution_touch", "attribution_conversion",
                "attribution_action", "attribution_cost", "attribution_credit", "attribution_cost_sum",
                "attribution_won", "attribution_path", "attribution_path_key"))
                .withSchemaVersion(SCHEMA_VERSION);
    }
}
