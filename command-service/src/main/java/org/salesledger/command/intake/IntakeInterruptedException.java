package org.salesledger.command.intake;

/**
 * The request's thread was interrupted (the server is stopping) while its action still waited for a transaction:
 * nothing of it was stored, and sending it again is safe. Answered {@code 503} with {@code Retry-After}.
 */
public class IntakeInterruptedException extends RuntimeException {

    public IntakeInterruptedException(String actionId, InterruptedException cause) {
        super("The server is stopping: action " + actionId + " was not stored. Send it again.", cause);
    }
}
