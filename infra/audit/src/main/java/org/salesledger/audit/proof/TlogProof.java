package org.salesledger.audit.proof;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.salesledger.audit.checkpoint.Checkpoint;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.note.NoteFormatException;
import org.salesledger.audit.note.NoteVerifierKey;

/**
 * An offline-verifiable proof that an entry is in the log, in the C2SP {@code tlog-proof} text format
 * (c2sp.org/tlog-proof), which contract §9 serves for an action:
 *
 * <pre>
 * c2sp.org/tlog-proof@v1
 * [extra &lt;base64&gt;]
 * index &lt;leaf index&gt;
 * &lt;base64 hash of the inclusion proof, leaf's sibling first&gt;
 * …
 *
 * &lt;the signed checkpoint, verbatim&gt;
 * </pre>
 *
 * @param extra            opaque extra data in base64, or null (not authenticated: never trust it)
 * @param index            the entry's leaf index
 * @param inclusionProof   the audit path in the checkpoint's tree (RFC 9162 §2.1.3)
 * @param signedCheckpoint the checkpoint as the log signed it (a signed note)
 */
public record TlogProof(String extra, long index, List<Hash> inclusionProof, String signedCheckpoint) {

    private static final String HEADER = "c2sp.org/tlog-proof@v1";

    public TlogProof {
        inclusionProof = List.copyOf(inclusionProof);
        Objects.requireNonNull(signedCheckpoint, "signedCheckpoint");
        if (index < 0) {
            throw new IllegalArgumentException("a tlog proof's index must be ≥ 0, was " + index);
        }
        if (extra != null) {
            decodeExtra(extra);
        }
    }

    /** A proof without extra data. */
    public TlogProof(long index, List<Hash> inclusionProof, String signedCheckpoint) {
        this(null, index, inclusionProof, signedCheckpoint);
    }

    /** The proof's text. */
    public String text() {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        if (extra != null) {
            text.append("extra ").append(extra).append('\n');
        }
        text.append("index ").append(index).append('\n');
        inclusionProof.forEach(hash -> text.append(hash.base64()).append('\n'));
        return text.append('\n').append(signedCheckpoint).toString();
    }

    /**
     * Reads a proof's text; checks its form only (verify it with {@link #verify}).
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    public static TlogProof parse(String text) {
        int blank = text.indexOf("\n\n");
        if (blank < 0) {
            throw new IllegalArgumentException("a tlog proof needs an empty line before its checkpoint");
        }
        List<String> lines = List.of(text.substring(0, blank).split("\n", -1));
        String checkpoint = text.substring(blank + 2);
        if (!lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException("line 1 of a tlog proof must be " + HEADER + ", was '" + lines.get(0)
                    + "'");
        }
        int next = 1;
        String extra = null;
        if (next < lines.size() && lines.get(next).startsWith("extra ")) {
            extra = lines.get(next).substring("extra ".length());
            next++;
        }
        if (next >= lines.size() || !lines.get(next).matches("index (0|[1-9][0-9]{0,18})")) {
            throw new IllegalArgumentException("line " + (next + 1)
                    + " of a tlog proof must be 'index <decimal>', was '"
                    + (next < lines.size() ? lines.get(next) : "") + "'");
        }
        long index;
        try {
            index = Long.parseLong(lines.get(next).substring("index ".length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + (next + 1) + " of a tlog proof: index too large", e);
        }
        List<Hash> proof = new ArrayList<>();
        for (int i = next + 1; i < lines.size(); i++) {
            try {
                proof.add(Hash.fromBase64(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1)
                        + " of a tlog proof is not a base64 SHA-256 hash: '" + lines.get(i) + "'", e);
            }
        }
        return new TlogProof(extra, index, proof, checkpoint);
    }

    /**
     * Checks the proof for the entry whose leaf hash is {@code leafHash}: the checkpoint is for {@code origin} and
     * signed by {@code logKey}, and the inclusion proof binds the leaf at {@link #index} to its root.
     *
     * @return the checkpoint the entry is proved in
     * @throws NoteFormatException      if the checkpoint's signature does not verify with {@code logKey}
     * @throws InvalidProofException    if the checkpoint is for another origin or the inclusion proof fails
     * @throws IllegalArgumentException if the signed text is not a checkpoint
     */
    public Checkpoint verify(Hash leafHash, String origin, NoteVerifierKey logKey) {
        Checkpoint checkpoint = Checkpoint.open(signedCheckpoint, logKey);
        if (!checkpoint.origin().equals(origin)) {
            throw new InvalidProofException("the checkpoint is for the log '" + checkpoint.origin() + "', not '"
                    + origin + "'");
        }
        ProofVerifier.verifyInclusion(index, checkpoint.size(), leafHash, inclusionProof, checkpoint.rootHash());
        return checkpoint;
    }

    private static void decodeExtra(String extra) {
        try {
            Base64.getDecoder().decode(extra);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a tlog proof's extra data must be base64, was '" + extra + "'", e);
        }
    }
}
