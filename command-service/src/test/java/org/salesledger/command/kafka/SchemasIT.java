package org.salesledger.command.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;

/** The action schemas served by the command side, for integrators: the same files as in docs/events/. */
class SchemasIT extends CommandSideWithKafka {

    @Test
    void listsASchemaForEveryActionType() throws Exception {
        Response list = TestHttp.get(url("/api/v1/schemas"));

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("schemas")).extracting(s -> s.get("type").asText())
                .containsExactlyElementsOf(ActionTypes.names());
        assertThat(list.json().get("schemas").get(0).get("href").asText()).isEqualTo("/api/v1/schemas/"
                + ActionTypes.names().iterator().next());
    }

    @Test
    void servesEachSchemaAsPublishedInTheRepository() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(org.salesledger.testing.TestHttp.request(
                url("/api/v1/schemas/VisitLogged")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/schema+json"));
        assertThat(response.body()).isEqualTo(Files.readString(Path.of("..", "docs", "events",
                "VisitLogged.schema.json")));
    }

    @Test
    void anUnknownTypeIsA404ThatNamesTheTypesThereAre() throws Exception {
        Response unknown = TestHttp.get(url("/api/v1/schemas/Teleported"));
        Response wrongCase = TestHttp.get(url("/api/v1/schemas/visitlogged"));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).contains("Teleported", "VisitLogged", "DealLost");
        assertThat(wrongCase.status()).isEqualTo(404);
        assertThat(wrongCase.json().get("message").asText()).contains("case-sensitive");
    }
}
