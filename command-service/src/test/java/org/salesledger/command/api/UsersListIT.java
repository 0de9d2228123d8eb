package org.salesledger.command.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.command.TestNodes;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code GET /api/v1/admin/users?history=true} gives every user with its own changes, oldest first — the same as each
 * user's own page — and without {@code history} no changes at all.
 */
class UsersListIT {

    static ConfigurableApplicationContext node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.signedIn(new SpringApplicationBuilder(CommandServiceApplication.class)
                .properties(TestNodes.properties(TestPostgres.newDatabase())).registerShutdownHook(false).run());
        define("rep-a", "Rep A");
        define("rep-b", "Rep B");
        define("rep-a", "Rep A, renamed");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theListWithHistoryGivesEachUserItsOwnChangesInOrder() throws Exception {
        JsonNode users = TestHttp.get(uri("/api/v1/admin/users?history=true")).json().path("users");

        assertThat(users.size()).as("admin, rep-a, rep-b at least").isGreaterThanOrEqualTo(3);
        for (JsonNode user : users) {
            String id = user.path("userId").asText();
            JsonNode own = TestHttp.get(uri("/api/v1/admin/users/" + id)).json().path("history");
            assertThat(user.path("history")).as("%s's changes in the list and on its own page", id).isEqualTo(own);
            assertThat(own.isArray()).as("%s's own page has its changes", id).isTrue();
        }
        assertThat(versions(users, "rep-a")).containsExactly(1L, 2L);
        assertThat(versions(users, "rep-b")).containsExactly(1L);
    }

    @Test
    void theListWithoutHistoryGivesNoChanges() throws Exception {
        JsonNode users = TestHttp.get(uri("/api/v1/admin/users")).json().path("users");

        assertThat(users.size()).isGreaterThanOrEqualTo(3);
        for (JsonNode user : users) {
            assertThat(user.has("history")).as("%s", user.path("userId").asText()).isFalse();
        }
    }

    private static List<Long> versions(JsonNode users, String id) {
        List<Long> versions = new ArrayList<>();
        for (JsonNode user : users) {
            if (user.path("userId").asText().equals(id)) {
                user.path("history").forEach(change -> versions.add(change.path("version").asLong()));
            }
        }
        return versions;
    }

    private static void define(String id, String name) throws Exception {
        TestHttp.Response put = TestHttp.send("PUT", uri("/api/v1/admin/users/" + id),
                "{\"name\":\"" + name + "\",\"roles\":[\"rep\"],\"region\":\"east\"}");
        assertThat(put.status()).as("%s", put).isEqualTo(200);
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort() + path);
    }
}
