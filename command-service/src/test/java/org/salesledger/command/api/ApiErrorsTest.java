package org.salesledger.command.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.salesledger.command.intake.IntakeInterruptedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

class ApiErrorsTest {

    @Test
    void an_action_not_stored_because_the_server_is_stopping_is_answered_503_with_a_time_to_retry() {
        IntakeInterruptedException stopping = new IntakeInterruptedException("a-7", new InterruptedException());

        ResponseEntity<ProblemDetail> answer = new ApiErrors().interrupted(stopping);

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(answer.getBody().getProperties()).containsEntry("message",
                "The server is stopping: action a-7 was not stored. Send it again.");
    }
}
