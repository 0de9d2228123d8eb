package org.salesledger.command.intake;

/** What became of one action sent in: recorded now, recorded before (a duplicate), or refused with a reason. */
public record IntakeOutcome(String id, Status status, FieldError error) {

    public enum Status { RECORDED, DUPLICATE, REFUSED }

    static IntakeOutcome recorded(String id) {
        return new IntakeOutcome(id, Status.RECORDED, null);
    }

    static IntakeOutcome duplicate(String id) {
        return new IntakeOutcome(id, Status.DUPLICATE, null);
    }

    static IntakeOutcome refused(String id, String field, String message) {
        return new IntakeOutcome(id, Status.REFUSED, new FieldError(field, message));
    }
}
