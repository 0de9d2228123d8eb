package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.audit.checkpoint.Checkpoint;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.leaf.ActionLeaf;
import org.salesledger.audit.note.NoteSigningKey;
import org.salesledger.audit.tree.InMemoryTreeStore;
import org.salesledger.audit.tree.ProofGenerator;
import org.salesledger.audit.tree.TreeAppender;

/**
 * {@code salesledger verify FILE --key KEY}: an export built here with the audit library (an in-memory tree of five
 * actions, the customer's three of them exported, a key generated here) passes; a changed byte, a wrong key, a
 * truncated or garbled file do not, each as the command's contract says.
 */
class VerifyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "salesledger.test/audit";

    @TempDir
    Path dir;

    private NoteSigningKey key;
    private Path keyFile;
    private List<String> lines;

    @BeforeEach
    void export() throws IOException {
        key = NoteSigningKey.generate(ORIGIN, new SecureRandom());
        keyFile = dir.resolve("log.vkey");
        Files.writeString(keyFile, key.verifierKey().encoded() + "\n");

        List<ObjectNode> envelopes = new ArrayList<>();
        List<Instant> recordedAt = new ArrayList<>();
        List<String> recordedBy = new ArrayList<>();
        List<Hash> leaves = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode envelope = JSON.createObjectNode();
            envelope.put("id", "action-" + i);
            envelope.put("customerId", i % 2 == 0 ? "c-1" : "c-2");
            envelope.put("type", "CALL_LOGGED");
            envelope.put("time", "2026-03-0" + (i + 1) + "T09:00:00Z");
            envelope.putObject("data").put("note", "called Acme " + i).put("minutes", 1.5 + i);
            envelopes.add(envelope);
            recordedAt.add(Instant.parse("2026-03-0" + (i + 1) + "T09:00:0" + i + ".123Z"));
            recordedBy.add(i == 4 ? null : "rep-" + i);
            leaves.add(ActionLeaf.hash(envelope, recordedAt.get(i), recordedBy.get(i)));
        }
        InMemoryTreeStore store = new InMemoryTreeStore();
        new TreeAppender(store).appendLeafHashes(leaves);
        ProofGenerator proofs = new ProofGenerator(store);
        String checkpoint = new Checkpoint(ORIGIN, 5, proofs.rootHash(5)).sign(key);

        lines = new ArrayList<>();
        for (int i : new int[] {0, 2, 4}) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("envelope", envelopes.get(i));
            line.put("recordedAt", recordedAt.get(i).toString());
            line.put("recordedBy", recordedBy.get(i));
            line.put("leafIndex", i);
            line.put("proof", proofs.inclusionProof(i, 5).stream().map(Hash::base64).toList());
            lines.add(JSON.writeValueAsString(line));
        }
        lines.add(JSON.writeValueAsString(Map.of("checkpoint", checkpoint)));
    }

    @Test
    void anUntouchedExportPassesWithTheKeyFileOrTheKeyText() throws IOException {
        Run fromFile = verify(write(lines), keyFile.toString());
        assertThat(fromFile.exit()).isZero();
        assertThat(fromFile.out()).startsWith("verify: OK: 3 actions").contains("tree size 5").doesNotContain("\n ");

        Run fromText = verify(write(lines), key.verifierKey().encoded());
        assertThat(fromText.exit()).isZero();
    }

    @Test
    void readsTheExportFromStandardInput() {
        Run run = run(String.join("\n", lines) + "\n", "verify", "-", "--key", keyFile.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("verify: OK: 3 actions");
    }

    @Test
    void aChangedByteInOneEnvelopeNamesThatLine() throws IOException {
        List<String> changed = new ArrayList<>(lines);
        assertThat(changed.get(1)).contains("called Acme 2");
        changed.set(1, changed.get(1).replace("called Acme 2", "called Acmf 2"));

        Run run = verify(write(changed), keyFile.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).startsWith("verify: FAILED at line 2: action action-2 (leaf 2) is not in the checkpoint");
    }

    @Test
    void aChangedRecordedAtOrRecordedByFailsToo() throws IOException {
        List<String> changed = new ArrayList<>(lines);
        changed.set(2, changed.get(2).replace("\"recordedBy\":null", "\"recordedBy\":\"rep-4\""));
        assertThat(changed.get(2)).isNotEqualTo(lines.get(2));

        Run run = verify(write(changed), keyFile.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).startsWith("verify: FAILED at line 3:");
    }

    @Test
    void aLineRepeatedOrOutOfStoreOrderFails() throws IOException {
        List<String> repeated = new ArrayList<>(lines);
        repeated.add(1, lines.get(0));

        Run run = verify(write(repeated), keyFile.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).startsWith("verify: FAILED at line 2: leaf 0 is not after the previous line's leaf 0");
    }

    @Test
    void aMissingFileIsAUsageError() {
        Run run = verify(dir.resolve("no-such-export.ndjson"), keyFile.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("salesledger verify: FILE ").contains("does not exist").hasLineCount(1);
    }

    @Test
    void aWrongKeyFailsOnTheCheckpoint() throws IOException {
        NoteSigningKey other = NoteSigningKey.generate(ORIGIN, new SecureRandom());

        Run run = verify(write(lines), other.verifierKey().encoded());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).startsWith("verify: FAILED at line 4: the checkpoint does not check with key");
    }

    @Test
    void aTruncatedFileIsNoExport() throws IOException {
        Run run = verify(write(lines.subList(0, 3)), keyFile.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("salesledger verify: line 3 is not an export line")
                .hasLineCount(1);
    }

    @Test
    void aGarbageLineIsNoExport() throws IOException {
        List<String> garbled = new ArrayList<>(lines);
        garbled.set(1, garbled.get(1).substring(0, 40));

        Run run = verify(write(garbled), keyFile.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("salesledger verify: line 2 is not an export line: not JSON").hasLineCount(1);
    }

    @Test
    void aKeyThatIsNeitherFileNorKeyIsAUsageError() throws IOException {
        Run run = verify(write(lines), "no-such-key");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("salesledger verify: --key is neither").hasLineCount(1);
    }

    private Path write(List<String> content) throws IOException {
        Path file = Files.createTempFile(dir, "export", ".ndjson");
        Files.writeString(file, String.join("\n", content) + "\n");
        return file;
    }

    private Run verify(Path file, String keyArgument) {
        return run("", "verify", file.toString(), "--key", keyArgument);
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SalesLedger.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Map.of());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
