package org.salesledger.kernel.value;

import java.util.Objects;

/** A document sent to a customer, by reference. */
public record Document(String uri, String mediaType) {

    public static final String PDF = "application/pdf";

    public Document {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(mediaType, "mediaType");
    }
}
