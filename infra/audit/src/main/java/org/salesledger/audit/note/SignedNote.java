package org.salesledger.audit.note;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Signing and opening C2SP signed notes (c2sp.org/signed-note): a text ending in a newline, a blank line, then one
 * signature line per key, {@code — <key name> <base64(4-byte key id ‖ signature)>} (an em dash, U+2014). The
 * signature is over the UTF-8 bytes of the text including its final newline.
 *
 * <p>Opening follows the specification: signatures by unknown keys are ignored; a signature by a known key (same name
 * and key id) that does not verify rejects the note; a note no known key signed is rejected.
 */
public final class SignedNote {

    private static final String SIGNATURE_PREFIX = "\u2014 ";
    private static final int MAX_SIGNATURES = 100;

    private SignedNote() {
    }

    /** A note opened with {@link #open}: its text and the known keys whose signatures verified. */
    public record Verified(String text, List<NoteVerifierKey> signers) {
    }

    /**
     * The signed note of {@code text} with one signature line per key.
     *
     * @throws NoteFormatException if the text does not end in a newline or holds a control character other than
     *                             newline
     */
    public static String sign(String text, NoteSigningKey... keys) {
        requireText(text);
        if (keys.length == 0) {
            throw new IllegalArgumentException("a signed note needs at least one key");
        }
        StringBuilder note = new StringBuilder(text).append('\n');
        for (NoteSigningKey key : keys) {
            byte[] signature = key.signature(text);
            byte[] line = ByteBuffer.allocate(4 + signature.length).putInt(key.keyId()).put(signature).array();
            note.append(SIGNATURE_PREFIX).append(key.name()).append(' ')
                    .append(Base64.getEncoder().encodeToString(line)).append('\n');
        }
        return note.toString();
    }

    /**
     * Checks the signatures of {@code note} against the {@code known} keys and answers its text.
     *
     * @throws NoteFormatException if the note is malformed, a known key's signature does not verify, or no known key
     *                             signed it
     */
    public static Verified open(String note, Collection<NoteVerifierKey> known) {
        requireNoControls(note);
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteFormatException("a signed note needs a blank line before its signatures");
        }
        String text = note.substring(0, split + 1);
        String signatures = note.substring(split + 2);
        if (signatures.isEmpty() || !signatures.endsWith("\n")) {
            throw new NoteFormatException("a signed note ends with signature lines, each ending in a newline");
        }
        List<NoteVerifierKey> signers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = signatures.substring(0, signatures.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw new NoteFormatException("a signed note with more than " + MAX_SIGNATURES + " signatures");
        }
        for (String line : lines) {
            if (!line.startsWith(SIGNATURE_PREFIX)) {
                throw new NoteFormatException("not a signature line (— <name> <base64>): '" + line + "'");
            }
            String[] parts = line.substring(SIGNATURE_PREFIX.length()).split(" ", -1);
            if (parts.length != 2 || parts[1].isEmpty()) {
                throw new NoteFormatException("not a signature line (— <name> <base64>): '" + line + "'");
            }
            String name = NoteNames.requireValidName(parts[0]);
            byte[] raw = NoteVerifierKey.decodeBase64(parts[1], "signature of " + name);
            if (raw.length < 5) {
                throw new NoteFormatException("the signature of " + name + " is shorter than a key id and a byte");
            }
            int keyId = ByteBuffer.wrap(raw, 0, 4).getInt();
            byte[] signature = Arrays.copyOfRange(raw, 4, raw.length);
            for (NoteVerifierKey key : known) {
                if (key.name().equals(name) && key.keyId() == keyId && seen.add(key.encoded())) {
                    if (!key.verifies(text, signature)) {
                        throw new NoteFormatException("the signature of " + name + "+" + NoteNames.hex(keyId)
                                + " does not verify: the note was changed or signed by another key");
                    }
                    signers.add(key);
                }
            }
        }
        if (signers.isEmpty()) {
            throw new NoteFormatException("no known key signed this note (known: " + known.stream()
                    .map(k -> k.name() + "+" + NoteNames.hex(k.keyId())).toList() + ")");
        }
        return new Verified(text, List.copyOf(signers));
    }

    private static void requireText(String text) {
        if (text.isEmpty() || !text.endsWith("\n")) {
            throw new NoteFormatException("a note's text must end in a newline");
        }
        requireNoControls(text);
    }

    private static void requireNoControls(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw new NoteFormatException(String.format(
                        "a note must hold no control character but newline; U+%04X at %d", (int) c, i));
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    throw new NoteFormatException("a note must be valid Unicode; lone surrogate at " + i);
                }
                i++;
            }
        }
    }
}
