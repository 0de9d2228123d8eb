package org.salesledger.command.intake;

/** A request body over the configured limit: answered with 413. */
public class BodyTooLargeException extends RuntimeException {

    private final long limitBytes;

    public BodyTooLargeException(long limitBytes) {
        super("the request body is larger than the limit of " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
