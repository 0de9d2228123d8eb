package org.salesledger.kernel.value;

/** Shape checks shared by the value types. */
final class Text {

    private Text() {
    }

    static void requireId(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (value.length() > CustomerId.MAX_LENGTH) {
            throw new IllegalArgumentException(what + " must be at most " + CustomerId.MAX_LENGTH + " characters");
        }
    }
}
