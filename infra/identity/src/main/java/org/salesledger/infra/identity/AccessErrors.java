package org.salesledger.infra.identity;

import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** {@link AccessRefused} as {@code application/problem+json} with {@code message} and {@code errors[{field, message}]}. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccessErrors {

    @ExceptionHandler(AccessRefused.class)
    ProblemDetail refused(AccessRefused e) {
        return problem(e.status().value(), e.field(), e.getMessage(), e.permission());
    }

    static ProblemDetail problem(int status, String field, String message, String permission) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatusCode.valueOf(status),
                message);
        problem.setProperty("message", message);
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        if (permission != null) {
            problem.setProperty("permission", permission);
        }
        return problem;
    }
}
