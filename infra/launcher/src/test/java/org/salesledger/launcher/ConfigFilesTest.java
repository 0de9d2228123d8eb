package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Which configuration files a side started by the launcher reads, and which wins: an operator's
 * {@code application.yml} (Spring Boot's usual name) over the defaults packaged in the side's {@code command-service.yml},
 * and an operator's {@code command-service.yml} over an {@code application.yml} beside it. The temporary directory
 * stands for {@code ./config/} of the working directory (given here as an additional location, which Spring ranks
 * the same way: above every file inside the jar).
 */
class ConfigFilesTest {

    @TempDir
    Path config;

    @Configuration(proxyBeanMethods = false)
    static class Nothing {
    }

    @Test
    void anOperatorsApplicationYmlOverridesThePackagedDefaultsAndTheSidesOwnFileOverridesIt() throws Exception {
        Files.writeString(config.resolve("application.yml"), """
                salesledger:
                  snapshot-every: 100
                  import:
                    workers: 2
                    max-errors: 50
                """);
        Files.writeString(config.resolve("command-service.yml"), """
                salesledger:
                  import:
                    workers: 3
                """);

        try (ConfigurableApplicationContext side = new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE)
                .run("--spring.config.name=" + EmbeddedSystem.configNames("command-service"),
                        "--spring.config.additional-location=file:" + config + "/")) {
            Environment env = side.getEnvironment();

            assertThat(env.getProperty("salesledger.snapshot-every")).as("application.yml over the packaged 250")
                    .isEqualTo("100");
            assertThat(env.getProperty("salesledger.import.max-errors")).as("application.yml over the packaged 1000")
                    .isEqualTo("50");
            assertThat(env.getProperty("salesledger.import.workers")).as("the side's file over application.yml")
                    .isEqualTo("3");
            assertThat(env.getProperty("salesledger.import.batch-size")).as("set by neither: the packaged default")
                    .isEqualTo("1000");
        }
    }

    @Test
    void withoutAnyOperatorFileTheSideReadsItsPackagedDefaults() {
        try (ConfigurableApplicationContext side = new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE)
                .run("--spring.config.name=" + EmbeddedSystem.configNames("query-service"))) {
            assertThat(side.getEnvironment().getProperty("salesledger.rebuild.chunk-size")).isEqualTo("10000");
            assertThat(side.getEnvironment().getProperty("salesledger.snapshot-every")).as("a command-side setting")
                    .isNull();
        }
    }
}
