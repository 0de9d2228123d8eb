package org.salesledger.command.api;

import java.util.UUID;
import org.salesledger.command.intake.BodyTooLargeException;
import org.salesledger.command.intake.ImportStoppedException;
import org.salesledger.command.intake.IntakeInterruptedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Errors as {@code application/problem+json} with a {@code message} a person can act on; never a stack trace. */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(BodyTooLargeException.class)
    ProblemDetail tooLarge(BodyTooLargeException e) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, "The request body is larger than the limit of "
                + e.limitBytes() + " bytes. Split the file, or raise salesledger.import.max-body-bytes "
                + "(imports) / salesledger.actions.max-body-bytes (single actions).");
    }

    @ExceptionHandler(ImportStoppedException.class)
    ProblemDetail importStopped(ImportStoppedException e) {
        ProblemDetail problem = problem(HttpStatus.PAYLOAD_TOO_LARGE, "The import stopped at the limit of "
                + e.limitBytes() + " bytes. The lines before the limit were processed (see storedBefore); "
                + "send the rest of the file in another request.");
        problem.setProperty("storedBefore", e.storedBefore());
        return problem;
    }

    @ExceptionHandler(IntakeInterruptedException.class)
    ResponseEntity<ProblemDetail> interrupted(IntakeInterruptedException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        String reference = UUID.randomUUID().toString();
        log.error("request failed, reference {}", reference, e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "The server could not complete the request; nothing of "
                + "a refused action was stored. Try again; if it persists, report reference " + reference + ".");
    }

    static ProblemDetail problem(HttpStatus status, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setProperty("message", message);
        return problem;
    }
}
