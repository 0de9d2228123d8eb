package org.salesledger.query.api;

import org.springframework.http.HttpStatus;

/** A query that cannot be answered as asked: its status, the parameter concerned and why. */
public class QueryRefused extends RuntimeException {

    private final HttpStatus status;
    private final String field;

    public QueryRefused(HttpStatus status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }
}
