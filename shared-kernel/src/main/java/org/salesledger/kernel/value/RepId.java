package org.salesledger.kernel.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A sales rep's (or other user's) id. */
public record RepId(@JsonValue String value) {

    public RepId {
        Text.requireId(value, "rep id");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RepId of(String value) {
        return new RepId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
