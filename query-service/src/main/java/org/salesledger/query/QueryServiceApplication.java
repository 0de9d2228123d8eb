package org.salesledger.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The query side: runs the projections and answers the dashboards' queries. */
@SpringBootApplication(scanBasePackages = {"org.salesledger.query", "org.salesledger.projections"})
public class QueryServiceApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(QueryServiceApplication.class);
        // Spring Boot's usual application.yml, then this side's own file, which wins where both set a property
        app.setDefaultProperties(java.util.Map.of("spring.config.name", "application,query-service"));
        app.run(args);
    }
}
