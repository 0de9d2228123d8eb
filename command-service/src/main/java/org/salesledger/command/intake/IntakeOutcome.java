package org.salesledger.command.intake;

/** What became of one action sent in: recorded now, recorded before (a duplicate), or refused with a reason. */
public record IntakeOutcome(String id, Status status, FieldError error, int httpStatus) {

    public enum Status { RECORDED, DUPLICATE, REFUSED }

    public IntakeOutcome(String id, Status status, FieldError error) {
        this(id, status, error, status == Status.REFUSED ? 400 : 202);
    }

    static IntakeOutcome recorded(String id) {
        return new IntakeOutcome(id, Status.RECORDED, null);
    }

    static IntakeOutcome duplicate(String id) {
        return new IntakeOutcome(id, Status.DUPLICATE, null);
    }

    static IntakeOutcome refused(String id, String field, String message) {
        return new IntakeOutcome(id, Status.REFUSED, new FieldError(field, message));
    }

    /** Refused with the status a single action answers: 400 invalid, 403 forbidden, 404 outside the scope. */
    static IntakeOutcome refused(String id, String field, String message, int httpStatus) {
        return new IntakeOutcome(id, Status.REFUSED, new FieldError(field, message), httpStatus);
    }
}
