package org.salesledger.projections.attribution;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The attribution read model's tables, rebuilt together. */
@Configuration
class AttributionTables {

    static final String BEAN = "attributionReadModelTables";

    @Bean(BEAN)
    ReadModelTables attributionTables() {
        return new ReadModelTables("attribution", AttributionProjection.GROUP, List.of("attribution_definition",
                "attribution_customer", "attribution_touch", "attribution_conversion", "attribution_action",
                "attribution_cost", "attribution_credit", "attribution_cost_sum", "attribution_won",
                "attribution_path", "attribution_path_key"));
    }
}
