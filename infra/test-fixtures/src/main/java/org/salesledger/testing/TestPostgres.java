package org.salesledger.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.salesledger.infra.embedded.EmbeddedPostgresServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests, chosen once per JVM: the server named by {@code SALESLEDGER_TEST_DB_URL} (with
 * {@code SALESLEDGER_TEST_DB_USER} / {@code SALESLEDGER_TEST_DB_PASSWORD}); else a Testcontainers PostgreSQL when a
 * Docker engine answers; else an embedded PostgreSQL. Each test class asks for its own fresh database.
 */
public final class TestPostgres {

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Server server;

    private TestPostgres() {
    }

    /** Connection details of one database. */
    public record TestDatabase(String jdbcUrl, String user, String password) {
    }

    /** A new, empty database on the shared test server. */
    public static synchronized TestDatabase newDatabase() {
        if (server == null) {
            server = startServer();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "test-postgres-stop"));
        }
        String name = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(server.adminUrl(), server.user(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new TestDatabase(server.urlOf(name), server.user(), server.password());
    }

    private static Server startServer() {
        String url = System.getenv("SALESLEDGER_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            log.info("tests use the external PostgreSQL at {}", url);
            return new Server(url, env("SALESLEDGER_TEST_DB_USER", "postgres"),
                    env("SALESLEDGER_TEST_DB_PASSWORD", ""), () -> { });
        }
        if (Docker.answers()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            log.info("tests use a Testcontainers PostgreSQL at {}", container.getJdbcUrl());
            return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    container::stop);
        }
        EmbeddedPostgresServer embedded = EmbeddedPostgresServer.startTemporary();
        log.info("tests use an embedded PostgreSQL on port {}", embedded.port());
        return new Server(embedded.jdbcUrl(), embedded.user(), embedded.password(), embedded::close);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    private record Server(String adminUrl, String user, String password, Runnable stopper) {
        String urlOf(String database) {
            int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
            int query = adminUrl.indexOf('?', slash);
            return adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
        }

        void stop() {
            stopper.run();
        }
    }
}
