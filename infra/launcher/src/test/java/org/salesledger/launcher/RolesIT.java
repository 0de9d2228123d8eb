package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.salesledger.testing.TestHttp.envelope;
import static org.salesledger.testing.TestHttp.eventually;
import static org.salesledger.testing.TestHttp.get;
import static org.salesledger.testing.TestHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.axonframework.config.Configuration;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestPostgres;
import org.springframework.context.ApplicationContext;

/**
 * Two nodes of one system on one shared PostgreSQL and Kafka (the tests' own), each running one side
 * ({@code run --role command} and {@code run --role query}): what is posted to the command node is read from the query
 * node, which trusts the command node's tokens through {@code SALESLEDGER_COMMAND_URL}; each answers its health
 * probes, and neither starts the other's side; both serialise with Jackson only.
 */
class RolesIT {

    @TempDir
    Path commandDir;

    @TempDir
    Path queryDir;

    @Test
    void anActionPostedToTheCommandNodeAppearsOnTheQueryNodesTimeline() throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        int unusedQueryPort = freePort();
        Settings commandNode = TestSystems.settings(db, commandDir).withPorts(0, unusedQueryPort, 0)
                .withRole(NodeRole.COMMAND);

        try (EmbeddedSystem command = EmbeddedSystem.start(commandNode)) {
            assertThat(command.role()).isEqualTo(NodeRole.COMMAND);
            assertThat(queryMigrationsApplied(db)).as("the command node ran none of the query side").isFalse();
            assertRefused(unusedQueryPort);
            assertThatThrownBy(command::queryPort).hasMessageContaining("runs no query side");

            Settings queryNode = TestSystems.settings(db, queryDir).withRole(NodeRole.QUERY)
                    .withCommandUrl(URI.create("http://localhost:" + command.commandPort()));
            try (EmbeddedSystem query = EmbeddedSystem.start(queryNode)) {
                assertThat(query.role()).isEqualTo(NodeRole.QUERY);
                assertThat(queryMigrationsApplied(db)).isTrue();
                assertThatThrownBy(query::commandPort).hasMessageContaining("runs no command side");
                // the admin client is the command node's: its tokens are good on the query node too
                TestHttp.signInAsAdmin(commandDir, command.commandPort(), query.queryPort());

                assertThat(serializers(command.commandSide())).allMatch(JacksonSerializer.class::isInstance);
                assertThat(serializers(query.querySide())).allMatch(JacksonSerializer.class::isInstance);

                for (int port : new int[] {command.commandPort(), query.queryPort()}) {
                    assertThat(probe(port, "liveness")).isEqualTo("UP");
                    assertThat(probe(port, "readiness")).isEqualTo("UP");
                }

                URI commandSide = URI.create("http://localhost:" + command.commandPort());
                URI querySide = URI.create("http://localhost:" + query.queryPort());
                assertThat(post(commandSide.resolve("/api/v1/actions"), envelope("roles-1", "CustomerRegistered",
                        "cust-roles", "2025-03-01T09:30:00+08:00", "rep-07", "{\"name\":\"Acme Medical\","
                                + "\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"exhibition\"}"))
                        .status()).isEqualTo(202);

                JsonNode timeline = eventually(querySide.resolve("/api/v1/customers/cust-roles/timeline"),
                        r -> r.status() == 200 && r.json().path("events").size() == 1, Duration.ofSeconds(60)).json();
                assertThat(timeline.get("events").get(0).get("id").asText()).isEqualTo("roles-1");
                assertThat(timeline.get("events").get(0).get("type").asText()).isEqualTo("CustomerRegistered");
                // a token the query node did not see signed (another key) is refused: it really checks them
                assertThat(TestHttp.get(querySide.resolve("/api/v1/customers/cust-roles/timeline"),
                        "eyJhbGciOiJSUzI1NiJ9.e30.c2ln").status()).isEqualTo(401);
            }
        }
    }

    /** Axon's three serializers in a side (XStream is not on the class path: never a fallback to it). */
    private static List<Serializer> serializers(ApplicationContext side) {
        Configuration axon = side.getBean(Configuration.class);
        return List.of(axon.serializer(), axon.eventSerializer(), axon.messageSerializer());
    }

    private static String probe(int port, String probe) throws Exception {
        return get(URI.create("http://localhost:" + port + "/actuator/health/" + probe)).json().path("status").asText();
    }

    private static boolean queryMigrationsApplied(TestPostgres.TestDatabase db) throws Exception {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             ResultSet table = connection.createStatement().executeQuery(
                     "select to_regclass('flyway_history_query') is not null")) {
            table.next();
            return table.getBoolean(1);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void assertRefused(int port) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            }
        }).as("a connection to the query port of a command node").isInstanceOf(ConnectException.class);
    }
}
