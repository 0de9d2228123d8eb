package org.salesledger.kernel.value;

import java.util.Objects;

/** A photo taken on a visit, by reference, with its SHA-256 so it can be shown unaltered. */
public record Photo(String uri, String sha256) {

    public Photo {
        Objects.requireNonNull(uri, "uri");
    }
}
