package org.salesledger.audit.proof;

/** A proof that does not prove what it was offered for; the message says which check failed. */
public final class InvalidProofException extends RuntimeException {

    public InvalidProofException(String message) {
        super(message);
    }
}
