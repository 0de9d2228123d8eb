package org.salesledger.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The query side: runs the projections and answers the dashboards' queries. */
@SpringBootApplication(scanBasePackages = {"org.salesledger.query", "org.salesledger.projections"})
public class QueryServiceApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(QueryServiceApplication.class);
        app.setDefaultProperties(java.util.Map.of("spring.config.name", "query-service"));
        app.run(args);
    }
}
