package org.salesledger.query.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The heading of the query side's OpenAPI description ({@code GET /v3/api-docs}); the paths come from the controllers. */
@Configuration
class ApiDescription {

    @Bean
    OpenAPI querySideApi() {
        return new OpenAPI().info(new Info()
                .title("Sales Ledger — query side")
                .version("v1")
                .description("Answers dashboards, auditors and analysts from read models built from the event log:"
                        + " timelines, the funnel, work lists, attribution; and the operators' rebuild and"
                        + " dead-letter resources. Fixed paths are those of the public contract (api-contract.md, v1)."));
    }
}
