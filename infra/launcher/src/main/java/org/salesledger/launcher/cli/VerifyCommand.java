package org.salesledger.launcher.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.salesledger.audit.checkpoint.Checkpoint;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.leaf.ActionLeaf;
import org.salesledger.audit.note.NoteFormatException;
import org.salesledger.audit.note.NoteVerifierKey;
import org.salesledger.audit.proof.InvalidProofException;
import org.salesledger.audit.proof.ProofVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code salesledger verify FILE --key KEY}: checks a customer export ({@code GET /api/v1/customers/{id}/export},
 * contract §9) offline, with nothing but the file and the log's verifier key: the last line's checkpoint must be
 * signed by the key, and every other line's leaf, recomputed with {@link ActionLeaf} from its {@code envelope},
 * {@code recordedAt} and {@code recordedBy}, must lead through its {@code proof} to the checkpoint's root. Exit 0 with
 * one summary line when all pass; exit 1 naming the first line that fails and why; exit 2 (one line) when the input
 * is not an export or the key is not a verifier key.
 */
@Command(name = "verify", sortOptions = false,
        description = "Check a customer export (NDJSON of GET /api/v1/customers/{id}/export) offline: the "
                + "checkpoint's signature with KEY, then every action against the checkpoint's root. Exit 0 when "
                + "all pass; 1 naming the first line that fails; 2 when the input is not an export.",
        footer = {"", "Example: curl -H \"Authorization: Bearer $TOKEN\" $QUERY/api/v1/audit/key > log.vkey",
                "         salesledger verify customer.ndjson --key log.vkey"})
public final class VerifyCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "FILE", description = "the export, or - for standard input")
    String file;

    @Option(names = "--key", required = true, paramLabel = "KEY",
            description = "the log's verifier key (the text of GET /api/v1/audit/key): a file holding it, "
                    + "or the key text itself")
    String key;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    private final CliContext context;

    public VerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        NoteVerifierKey verifierKey = verifierKey(key);
        List<String> lines = lines(file);
        int last = lines.size();
        while (last > 0 && lines.get(last - 1).isBlank()) {
            last--;
        }
        if (last == 0) {
            throw new BadSetting("FILE " + file + " is empty: an export has at least its checkpoint line");
        }
        JsonNode checkpointLine = json(lines.get(last - 1), last);
        if (!checkpointLine.isObject() || !checkpointLine.path("checkpoint").isTextual()) {
            throw malformed(last, "the last line of an export is {\"checkpoint\": \"...\"} (truncated file?)");
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.open(checkpointLine.get("checkpoint").asText(), verifierKey);
        } catch (NoteFormatException | IllegalArgumentException e) {
            return fail(last, "the checkpoint does not check with key " + verifierKey.name() + ": "
                    + e.getMessage());
        }
        int actions = 0;
        long previous = -1;
        for (int n = 1; n < last; n++) {
            String text = lines.get(n - 1);
            if (text.isBlank()) {
                continue;
            }
            Line line = line(json(text, n), n);
            if (line.leafIndex() <= previous) {
                return fail(n, "leaf " + line.leafIndex() + " is not after the previous line's leaf " + previous
                        + " (an export is in store order, each action once)");
            }
            previous = line.leafIndex();
            Hash leaf;
            try {
                leaf = ActionLeaf.hash(line.envelope(), line.recordedAt(), line.recordedBy());
            } catch (IllegalArgumentException e) {
                return fail(n, "its envelope gives no leaf: " + e.getMessage());
            }
            try {
                ProofVerifier.verifyInclusion(line.leafIndex(), checkpoint.size(), leaf, line.proof(),
                        checkpoint.rootHash());
            } catch (InvalidProofException e) {
                return fail(n, "action " + line.envelope().path("id").asText("?") + " (leaf " + line.leafIndex()
                        + ") is not in the checkpoint: " + e.getMessage());
            }
            actions++;
        }
        context.out().println("verify: OK: " + actions + " action" + (actions == 1 ? "" : "s")
                + " proved against the checkpoint of " + checkpoint.origin() + ", tree size " + checkpoint.size()
                + ", root " + checkpoint.rootHash().base64());
        return 0;
    }

    private int fail(int line, String why) {
        context.out().println("verify: FAILED at line " + line + ": " + why);
        return 1;
    }

    /** One action line of an export. */
    private record Line(JsonNode envelope, Instant recordedAt, String recordedBy, long leafIndex, List<Hash> proof) {
    }

    private static Line line(JsonNode node, int n) {
        if (!node.isObject()) {
            throw malformed(n, "an action line is a JSON object");
        }
        JsonNode envelope = node.get("envelope");
        if (envelope == null || !envelope.isObject()) {
            throw malformed(n, "envelope must be a JSON object");
        }
        JsonNode recordedAt = node.get("recordedAt");
        Instant at;
        try {
            at = Instant.parse(recordedAt == null ? "" : recordedAt.asText());
        } catch (DateTimeParseException e) {
            throw malformed(n, "recordedAt must be an instant (2026-01-31T09:00:00Z), was " + recordedAt);
        }
        JsonNode recordedBy = node.get("recordedBy");
        if (recordedBy == null || !(recordedBy.isTextual() || recordedBy.isNull())) {
            throw malformed(n, "recordedBy must be a string or null");
        }
        JsonNode leafIndex = node.get("leafIndex");
        if (leafIndex == null || !leafIndex.canConvertToExactIntegral() || !leafIndex.canConvertToLong()
                || leafIndex.asLong() < 0) {
            throw malformed(n, "leafIndex must be a whole number, at least 0");
        }
        JsonNode proof = node.get("proof");
        if (proof == null || !proof.isArray()) {
            throw malformed(n, "proof must be an array of base64 hashes");
        }
        List<Hash> hashes = new ArrayList<>();
        for (JsonNode hash : proof) {
            try {
                hashes.add(Hash.fromBase64(hash.isTextual() ? hash.asText() : ""));
            } catch (IllegalArgumentException e) {
                throw malformed(n, "proof holds " + hash + ", not a base64 SHA-256 hash");
            }
        }
        return new Line(envelope, at, recordedBy.isNull() ? null : recordedBy.asText(), leafIndex.asLong(), hashes);
    }

    private static JsonNode json(String text, int n) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw malformed(n, "not JSON: " + e.getOriginalMessage());
        }
    }

    private static BadSetting malformed(int line, String why) {
        return new BadSetting("line " + line + " is not an export line: " + why);
    }

    private List<String> lines(String name) {
        try {
            if (name.equals("-")) {
                InputStream in = context.in();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
            return Files.readAllLines(Path.of(name), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadSetting("FILE " + name + " does not exist");
        } catch (IOException | InvalidPathException | java.io.UncheckedIOException e) {
            throw new BadSetting("cannot read FILE " + name + ": " + e);
        }
    }

    /** KEY: a file holding the verifier key text, or (when no such file exists) the text itself. */
    private static NoteVerifierKey verifierKey(String value) {
        String text = value;
        try {
            Path path = Path.of(value);
            if (Files.isRegularFile(path)) {
                text = Files.readString(path, StandardCharsets.UTF_8);
            }
        } catch (InvalidPathException e) {
            // not a path: the key text itself
        } catch (IOException e) {
            throw new BadSetting("cannot read the --key file " + value + ": " + e);
        }
        try {
            return NoteVerifierKey.parse(text.strip());
        } catch (NoteFormatException | IllegalArgumentException e) {
            throw new BadSetting("--key is neither a file holding a verifier key nor a verifier key "
                    + "(name+keyid+base64): " + e.getMessage());
        }
    }
}
