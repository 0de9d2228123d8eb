package org.salesledger.audit.hash;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** A SHA-256 value (32 bytes): a leaf, a node or a tree's root. Immutable; equal when the bytes are equal. */
public final class Hash {

    /** The length of a SHA-256 hash in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A hash of these 32 bytes (copied). */
    public static Hash of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a hash is " + LENGTH + " bytes, was "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        return new Hash(bytes.clone());
    }

    /** The hash written as 64 hex digits. */
    public static Hash fromHex(String hex) {
        try {
            return of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex SHA-256 hash: '" + hex + "' (" + e.getMessage() + ")", e);
        }
    }

    /** The hash written in standard base64 (RFC 4648 §4), as checkpoints and proofs carry it. */
    public static Hash fromBase64(String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 SHA-256 hash: '" + base64 + "'", e);
        }
        if (decoded.length != LENGTH || !Base64.getEncoder().encodeToString(decoded).equals(base64)) {
            throw new IllegalArgumentException("not a base64 SHA-256 hash: '" + base64 + "'");
        }
        return new Hash(decoded);
    }

    /** Wraps an array the caller gives up (no copy): for digests just computed. */
    static Hash wrap(byte[] digest) {
        return new Hash(digest);
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Feeds the bytes to a digest without copying them. */
    void updateDigest(MessageDigest digest) {
        digest.update(bytes);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Hash hash && Arrays.equals(bytes, hash.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
