package org.salesledger.command.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The heading of the command side's OpenAPI description ({@code GET /v3/api-docs}); the paths come from the controllers. */
@Configuration
class ApiDescription {

    @Bean
    OpenAPI commandSideApi() {
        return new OpenAPI().info(new Info()
                .title("Sales Ledger — command side")
                .version("v1")
                .description("Takes sales actions in (one envelope, or NDJSON imports), validates them field by field"
                        + " and stores them as immutable events. The action envelope and the fixed paths are those of"
                        + " the public contract (api-contract.md, v1); additions are documented in the README."));
    }
}
