package org.salesledger.query.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Errors as {@code application/problem+json} with a {@code message}; never a stack trace. */
@RestControllerAdvice
class QueryErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(QueryErrors.class);

    @ExceptionHandler(QueryRefused.class)
    ProblemDetail refused(QueryRefused e) {
        ProblemDetail problem = problem(e.status(), e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return problem;
    }

    @ExceptionHandler(org.salesledger.projections.rebuild.ReadModelRebuilds.UnknownReadModelException.class)
    ProblemDetail unknownReadModel(RuntimeException e) {
        return refused(new QueryRefused(HttpStatus.NOT_FOUND, "readModel", e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        String reference = UUID.randomUUID().toString();
        log.error("query failed, reference {}", reference, e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR,
                "The server could not answer the query. Try again; if it persists, report reference " + reference);
    }

    private static ProblemDetail problem(HttpStatus status, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setProperty("message", message);
        return problem;
    }
}
