package org.salesledger.audit.note;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Key names and key ids of the C2SP signed-note format (c2sp.org/signed-note). */
final class NoteNames {

    /** The signature type byte of Ed25519 in notes. */
    static final byte ED25519 = 0x01;

    private NoteNames() {
    }

    /** Refuses a key name that is empty or holds a Unicode space or a plus sign. */
    static String requireValidName(String name) {
        if (name == null || name.isEmpty()) {
            throw new NoteFormatException("a note key name must not be empty");
        }
        name.codePoints().forEach(cp -> {
            if (cp == '+' || Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85
                    || Character.isISOControl(cp) || cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                throw new NoteFormatException("a note key name must hold no spaces, controls or '+': '" + name + "'");
            }
        });
        return name;
    }

    /** {@code SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]}, big-endian. */
    static int keyId(String name, byte type, byte[] publicKey) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(name.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
            sha256.update(type);
            sha256.update(publicKey);
            byte[] sum = sha256.digest();
            return (sum[0] & 0xFF) << 24 | (sum[1] & 0xFF) << 16 | (sum[2] & 0xFF) << 8 | (sum[3] & 0xFF);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String hex(int keyId) {
        return String.format("%08x", keyId);
    }
}
