package org.salesledger.infra.kafka.replay;

/** A replay that is not started, with the field at fault and a reason a person can act on. */
public class ReplayRefusedException extends RuntimeException {

    /** Why: the request is wrong ({@code INVALID}) or clashes with the live topic or a running replay. */
    public enum Reason { INVALID, CONFLICT }

    private final Reason reason;
    private final String field;

    public ReplayRefusedException(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
