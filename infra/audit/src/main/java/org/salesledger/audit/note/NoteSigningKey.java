package org.salesledger.audit.note;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 key that signs notes under a key name (for checkpoints: the log's origin), with its
 * {@link NoteVerifierKey}. Its secret half has the text form of Go's {@code golang.org/x/mod/sumdb/note}
 * signer keys, {@code PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ 32-byte seed)>}; {@link NoteKeyFile} keeps it.
 */
public final class NoteSigningKey {

    private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

    private final byte[] seed;
    private final NoteVerifierKey verifierKey;

    private NoteSigningKey(byte[] seed, NoteVerifierKey verifierKey) {
        this.seed = seed.clone();
        this.verifierKey = verifierKey;
    }

    /** A new key named {@code name}, from {@code random}. */
    public static NoteSigningKey generate(String name, SecureRandom random) {
        NoteNames.requireValidName(name);
        byte[][] pair = Ed25519.generate(random);
        return new NoteSigningKey(pair[0], new NoteVerifierKey(name, pair[1]));
    }

    /**
     * The key from its secret text form and its verifier key (the JDK cannot derive an Ed25519 public key from a
     * seed, so both are needed); checks that they belong together by signing and verifying a probe.
     *
     * @throws NoteFormatException if either is malformed or they are not one key pair
     */
    public static NoteSigningKey parse(String privateKey, String verifierKey) {
        NoteVerifierKey vkey = NoteVerifierKey.parse(verifierKey);
        String text = privateKey.strip();
        if (!text.startsWith(PRIVATE_PREFIX)) {
            throw new NoteFormatException("a note signing key starts with " + PRIVATE_PREFIX);
        }
        String[] parts = text.substring(PRIVATE_PREFIX.length()).split("\\+", 3); // base64 may hold pluses
        if (parts.length != 3 || !parts[0].equals(vkey.name()) || !parts[1].equals(NoteNames.hex(vkey.keyId()))) {
            throw new NoteFormatException("the signing key is not named " + vkey.name() + "+"
                    + NoteNames.hex(vkey.keyId()) + " as its verifier key is");
        }
        byte[] typed = NoteVerifierKey.decodeBase64(parts[2], "signing key of " + vkey.name());
        if (typed.length != 1 + Ed25519.KEY_LENGTH || typed[0] != NoteNames.ED25519) {
            throw new NoteFormatException("the signing key of " + vkey.name()
                    + " is not an Ed25519 seed (0x01 and 32 bytes)");
        }
        NoteSigningKey key = new NoteSigningKey(Arrays.copyOfRange(typed, 1, typed.length), vkey);
        String probe = "salesledger key check\n";
        if (!vkey.verifies(probe, key.signature(probe))) {
            throw new NoteFormatException("the signing key of " + vkey.name() + " does not match its verifier key "
                    + vkey.encoded());
        }
        return key;
    }

    public String name() {
        return verifierKey.name();
    }

    public int keyId() {
        return verifierKey.keyId();
    }

    /** The public half, to give to verifiers. */
    public NoteVerifierKey verifierKey() {
        return verifierKey;
    }

    /** The secret text form {@code PRIVATE+KEY+<name>+<hex id>+<base64(0x01 ‖ seed)>}: keep it secret. */
    public String encodedPrivateKey() {
        byte[] typed = new byte[1 + seed.length];
        typed[0] = NoteNames.ED25519;
        System.arraycopy(seed, 0, typed, 1, seed.length);
        return PRIVATE_PREFIX + name() + "+" + NoteNames.hex(keyId()) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /** The 64-byte Ed25519 signature of the UTF-8 bytes of {@code text}. */
    byte[] signature(String text) {
        return Ed25519.sign(seed, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "NoteSigningKey[" + verifierKey.encoded() + "]"; // never the seed
    }
}
