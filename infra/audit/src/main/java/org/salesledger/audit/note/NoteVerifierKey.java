package org.salesledger.audit.note;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A public key that checks note signatures, in the C2SP verifier key ("vkey") text form
 * {@code <name>+<hex key id>+<base64(0x01 ‖ 32-byte Ed25519 public key)>}, e.g.
 * {@code example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k}. This is what an auditor is given
 * (contract §9, {@code GET /audit/key}). Only Ed25519 (type 0x01) is supported.
 */
public final class NoteVerifierKey {

    private final String name;
    private final int keyId;
    private final byte[] publicKey;

    NoteVerifierKey(String name, byte[] publicKey) {
        this.name = NoteNames.requireValidName(name);
        if (publicKey.length != Ed25519.KEY_LENGTH) {
            throw new NoteFormatException("an Ed25519 public key is 32 bytes, was " + publicKey.length);
        }
        this.publicKey = publicKey.clone();
        this.keyId = NoteNames.keyId(name, NoteNames.ED25519, publicKey);
    }

    /**
     * Reads a verifier key from its text form.
     *
     * @throws NoteFormatException if it is malformed, not Ed25519, or its key id does not match its name and key
     */
    public static NoteVerifierKey parse(String vkey) {
        String[] parts = vkey.strip().split("\\+", 3); // base64 may hold more pluses
        if (parts.length != 3 || parts[1].length() != 8 || !parts[1].matches("[0-9a-f]{8}")) {
            throw new NoteFormatException("not a note verifier key <name>+<8 hex digits>+<base64>: '" + vkey + "'");
        }
        byte[] key = decodeBase64(parts[2], "verifier key '" + vkey + "'");
        if (key.length != 1 + Ed25519.KEY_LENGTH || key[0] != NoteNames.ED25519) {
            throw new NoteFormatException("verifier key '" + vkey + "' is not an Ed25519 key (0x01 and 32 bytes)");
        }
        NoteVerifierKey parsed = new NoteVerifierKey(parts[0], Arrays.copyOfRange(key, 1, key.length));
        if (!NoteNames.hex(parsed.keyId).equals(parts[1])) {
            throw new NoteFormatException("verifier key '" + vkey + "' has key id " + parts[1] + " but its name and key"
                    + " give " + NoteNames.hex(parsed.keyId));
        }
        return parsed;
    }

    public String name() {
        return name;
    }

    /** The 32-bit key id: the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). */
    public int keyId() {
        return keyId;
    }

    /** The raw 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The text form {@code <name>+<hex key id>+<base64(0x01 ‖ key)>}. */
    public String encoded() {
        byte[] typed = new byte[1 + publicKey.length];
        typed[0] = NoteNames.ED25519;
        System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
        return name + "+" + NoteNames.hex(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /** Whether {@code signature} (the 64 bytes after the key id) is this key's signature of {@code text}. */
    boolean verifies(String text, byte[] signature) {
        return Ed25519.verify(publicKey, text.getBytes(StandardCharsets.UTF_8), signature);
    }

    static byte[] decodeBase64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException(what + ": not standard base64", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NoteVerifierKey key && name.equals(key.name) && Arrays.equals(publicKey, key.publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return encoded();
    }
}
