package org.salesledger.kernel.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A customer's id: the envelope's {@code subject}, the aggregate identifier and the Kafka record key. */
public record CustomerId(@JsonValue String value) {

    public static final int MAX_LENGTH = 255;

    public CustomerId {
        Text.requireId(value, "customer id");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CustomerId of(String value) {
        return new CustomerId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
