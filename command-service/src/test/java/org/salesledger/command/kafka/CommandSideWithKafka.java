package org.salesledger.command.kafka;

import org.salesledger.testing.TestHttp;
import java.net.URI;
import java.util.UUID;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.testing.TestKafka;
import org.salesledger.testing.TestPostgres;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One command side with the relay, on a real PostgreSQL and the tests' Kafka, shared by the test classes that
 * extend this (Spring keeps the context): each uses customers and ids of its own.
 */
@AutoConfigureObservability
@SpringBootTest(classes = CommandServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=command-service", TestHttp.ADMIN_SECRET_PROPERTY, "salesledger.kafka.relay.batch-size=50",
        // the tests' broker stops in a shutdown hook beside this context's: a batch in flight then waits this long
        // for its acknowledgements before the relay's processor can stop (30 s by default outlasts the fork's exit)
        "salesledger.kafka.relay.ack-timeout=10s"})
abstract class CommandSideWithKafka {

    /** The live topic of this command side. */
    static final String LIVE = "relay-it-" + UUID.randomUUID();

    @LocalServerPort
    int port;

    @org.junit.jupiter.api.BeforeEach
    void signInAsAdmin() {
        TestHttp.signInAsAdmin(port);
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("salesledger.kafka.bootstrap", TestKafka::bootstrapServers);
        registry.add("salesledger.kafka.topic", () -> LIVE);
    }

    URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
