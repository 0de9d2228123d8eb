package org.salesledger.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestHttpTest {

    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();

    /** Answers {"calls":N}: the number of requests so far, this one included. */
    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/count", exchange -> {
            byte[] body = ("{\"calls\":" + calls.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI count() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/count");
    }

    @Test
    void eventuallyAnswersTheFirstAnswerThatHolds() throws Exception {
        TestHttp.Response answer = TestHttp.eventually(count(), r -> r.json().get("calls").asInt() >= 3,
                Duration.ofSeconds(30));

        assertThat(answer.json().get("calls").asInt()).isEqualTo(3);
    }

    @Test
    void eventuallyFailsTheTestWithTheLastAnswerWhenNothingHoldsInTime() {
        assertThatThrownBy(() -> TestHttp.eventually(count(), r -> false, Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET " + count())
                .hasMessageContaining("within PT0.3S")
                .hasMessageContaining("last answer: 200 {\"calls\":");
    }
}
