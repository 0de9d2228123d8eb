package org.salesledger.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.note.NoteFormatException;
import org.salesledger.audit.note.NoteSigningKey;
import org.junit.jupiter.api.Test;

/** C2SP tlog-checkpoint bodies, signed as notes. */
class CheckpointTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The root of the eight-leaf Certificate Transparency test tree (transparency-dev/merkle testonly). */
    private static final Hash ROOT_OF_8 =
            Hash.fromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void writesOriginSizeAndBase64RootOnePerLine() {
        Checkpoint checkpoint = new Checkpoint("salesledger.test/actions", 8, ROOT_OF_8);
        assertThat(checkpoint.text())
                .isEqualTo("salesledger.test/actions\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
        assertThat(new Checkpoint("o", 8, ROOT_OF_8, List.of("ext one", "ext two")).text())
                .endsWith("=\next one\next two\n");
    }

    /** The example body of c2sp.org/tlog-checkpoint (github.com/C2SP/C2SP commit 5ba5ee8, tlog-checkpoint.md). */
    @Test
    void readsTheExampleOfTheSpecification() {
        String text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        Checkpoint checkpoint = Checkpoint.parse(text);
        assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
        assertThat(checkpoint.size()).isEqualTo(20852163);
        assertThat(checkpoint.rootHash().base64()).isEqualTo("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
        assertThat(checkpoint.extensions()).isEmpty();
        assertThat(checkpoint.text()).isEqualTo(text);
    }

    @Test
    void refusesMalformedBodiesNamingTheLine() {
        String root = ROOT_OF_8.base64();
        assertThatThrownBy(() -> Checkpoint.parse("o\n08\n" + root + "\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> Checkpoint.parse("o\n-1\n" + root + "\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> Checkpoint.parse("o\n99999999999999999999\n" + root + "\n"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> Checkpoint.parse("o\n8\nnot base64\n")).hasMessageContaining("line 3");
        assertThatThrownBy(() -> Checkpoint.parse("o\n8\nAAAA\n")).hasMessageContaining("line 3");
        assertThatThrownBy(() -> Checkpoint.parse("o\n8\n")).hasMessageContaining("three lines");
        assertThatThrownBy(() -> Checkpoint.parse("o\n8\n" + root)).hasMessageContaining("newline");
        assertThatThrownBy(() -> Checkpoint.parse("\n8\n" + root + "\n")).hasMessageContaining("origin");
        assertThatThrownBy(() -> Checkpoint.parse("o\n8\n" + root + "\n\n")).hasMessageContaining("extension");
        assertThat(Checkpoint.parse("o\n0\n" + root + "\n").size()).isZero();
    }

    @Test
    void aSignedCheckpointOpensWithItsKeyOnly() {
        NoteSigningKey key = NoteSigningKey.generate("salesledger.test/actions", RANDOM);
        Checkpoint checkpoint = new Checkpoint("salesledger.test/actions", 8, ROOT_OF_8);
        String signed = checkpoint.sign(key);

        assertThat(signed).startsWith(checkpoint.text() + "\n\u2014 salesledger.test/actions ");
        assertThat(Checkpoint.open(signed, key.verifierKey())).isEqualTo(checkpoint);

        String otherSize = signed.replaceFirst("\n8\n", "\n9\n");
        assertThatThrownBy(() -> Checkpoint.open(otherSize, key.verifierKey()))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("does not verify");
        NoteSigningKey other = NoteSigningKey.generate("salesledger.test/actions", RANDOM);
        assertThatThrownBy(() -> Checkpoint.open(signed, other.verifierKey()))
                .isInstanceOf(NoteFormatException.class);
    }
}
