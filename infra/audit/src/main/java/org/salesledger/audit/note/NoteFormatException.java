package org.salesledger.audit.note;

/** A signed note, key or key file that is malformed, or a note whose signatures do not verify. */
public final class NoteFormatException extends RuntimeException {

    public NoteFormatException(String message) {
        super(message);
    }

    public NoteFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
