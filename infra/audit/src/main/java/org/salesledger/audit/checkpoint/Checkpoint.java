package org.salesledger.audit.checkpoint;

import java.util.List;
import java.util.Objects;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.note.NoteFormatException;
import org.salesledger.audit.note.NoteSigningKey;
import org.salesledger.audit.note.NoteVerifierKey;
import org.salesledger.audit.note.SignedNote;

/**
 * A tree head in the C2SP {@code tlog-checkpoint} format (c2sp.org/tlog-checkpoint): the note text
 *
 * <pre>
 * &lt;origin&gt;
 * &lt;tree size, decimal, no leading zeros&gt;
 * &lt;base64 root hash&gt;
 * [&lt;extension line&gt;…]
 * </pre>
 *
 * signed as a C2SP signed note, by a key whose name should be the origin.
 *
 * @param origin     the log's identity, e.g. {@code salesledger.example/actions}; non-empty, one line
 * @param size       the number of leaves
 * @param rootHash   the RFC 9162 root hash at that size
 * @param extensions optional further lines, each non-empty (not recommended by the specification)
 */
public record Checkpoint(String origin, long size, Hash rootHash, List<String> extensions) {

    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(rootHash, "rootHash");
        extensions = List.copyOf(extensions);
        if (origin.isEmpty() || !isOneLine(origin)) {
            throw new IllegalArgumentException("a checkpoint's origin must be one non-empty line, was '" + origin
                    + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("a checkpoint's size must be ≥ 0, was " + size);
        }
        for (String extension : extensions) {
            if (extension.isEmpty() || !isOneLine(extension)) {
                throw new IllegalArgumentException("a checkpoint's extension line must be one non-empty line, was '"
                        + extension + "'");
            }
        }
    }

    /** A checkpoint without extension lines. */
    public Checkpoint(String origin, long size, Hash rootHash) {
        this(origin, size, rootHash, List.of());
    }

    /** The note text: origin, size and root hash lines, then the extension lines, each ending in a newline. */
    public String text() {
        StringBuilder text = new StringBuilder(origin).append('\n')
                .append(size).append('\n')
                .append(rootHash.base64()).append('\n');
        extensions.forEach(extension -> text.append(extension).append('\n'));
        return text.toString();
    }

    /**
     * Reads a checkpoint from its note text (without signatures).
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    public static Checkpoint parse(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("a checkpoint's text ends in a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new IllegalArgumentException("a checkpoint has at least three lines (origin, size, root hash), has "
                    + lines.length);
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("line 2 of a checkpoint is the tree size in decimal without leading"
                    + " zeros, was '" + lines[1] + "'");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line 2 of a checkpoint: tree size '" + lines[1] + "' is too large", e);
        }
        Hash root;
        try {
            root = Hash.fromBase64(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line 3 of a checkpoint is the base64 root hash, was '" + lines[2] + "'",
                    e);
        }
        return new Checkpoint(lines[0], size, root, List.of(lines).subList(3, lines.length));
    }

    /** This checkpoint as a signed note, signed by {@code key}. */
    public String sign(NoteSigningKey key) {
        return SignedNote.sign(text(), key);
    }

    /**
     * Verifies a signed checkpoint with {@code key} and reads it.
     *
     * @throws NoteFormatException      if the note is malformed or {@code key}'s signature is missing or wrong
     * @throws IllegalArgumentException if the signed text is not a checkpoint
     */
    public static Checkpoint open(String signedCheckpoint, NoteVerifierKey key) {
        return parse(SignedNote.open(signedCheckpoint, List.of(key)).text());
    }

    private static boolean isOneLine(String line) {
        return line.indexOf('\n') < 0 && line.indexOf('\r') < 0;
    }
}
