package org.salesledger.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The command side: takes actions in over HTTP, validates them and stores them as events. */
@SpringBootApplication
public class CommandServiceApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(CommandServiceApplication.class);
        // Spring Boot's usual application.yml, then this side's own file, which wins where both set a property
        app.setDefaultProperties(java.util.Map.of("spring.config.name", "application,command-service"));
        app.run(args);
    }
}
