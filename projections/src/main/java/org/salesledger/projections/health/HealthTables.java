package org.salesledger.projections.health;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelName;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The health read model's tables, rebuilt together. */
@Configuration
class HealthTables {

    static final String BEAN = "healthReadModelTables";
    static final List<String> TABLES = List.of("health_customer", "health_action", "health_observed",
            "health_contract", "health_contract_line", "health_plan", "health_day", "health_day_contract",
            "health_tally_basis");
    /**
     * The version of what the projection writes: raise it with a change that makes the rows already written wrong,
     * and the query side rebuilds the read model when it starts (docs/adr/0026).
     */
    static final int SCHEMA_VERSION = 2; // 2: health_day, the tallies of each rep's day (issue 18)

    @Bean(BEAN)
    ReadModelTables healthTables() {
        return new ReadModelTables(ReadModelName.HEALTH, HealthProjection.GROUP, TABLES)
                .withSchemaVersion(SCHEMA_VERSION);
    }
}
