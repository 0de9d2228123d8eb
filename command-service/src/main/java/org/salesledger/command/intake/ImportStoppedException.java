package org.salesledger.command.intake;

/** An import stopped part way because its body grew over the limit; the lines before were stored. */
public class ImportStoppedException extends RuntimeException {

    private final transient ImportReport storedBefore;

    ImportStoppedException(BodyTooLargeException cause, ImportReport storedBefore) {
        super(cause.getMessage(), cause);
        this.storedBefore = storedBefore;
    }

    public ImportReport storedBefore() {
        return storedBefore;
    }

    public long limitBytes() {
        return ((BodyTooLargeException) getCause()).limitBytes();
    }
}
