package org.salesledger.audit.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.salesledger.audit.checkpoint.Checkpoint;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.hash.MerkleHashes;
import org.salesledger.audit.note.NoteFormatException;
import org.salesledger.audit.note.NoteSigningKey;
import org.salesledger.audit.vectors.Rfc6962Vectors;
import org.salesledger.audit.vectors.Rfc6962Vectors.Inclusion;
import org.junit.jupiter.api.Test;

/** C2SP tlog-proof texts: an entry's index and audit path with the signed checkpoint they lead to. */
class TlogProofTest {

    private static final String ORIGIN = "salesledger.test/actions";
    private static final NoteSigningKey KEY = NoteSigningKey.generate(ORIGIN, new SecureRandom());
    /** Leaf 5 of the eight-leaf Certificate Transparency tree, with its published audit path. */
    private static final Inclusion LEAF_5 = Rfc6962Vectors.INCLUSION.get(2);

    private static TlogProof proofOfLeaf5() {
        String checkpoint = new Checkpoint(ORIGIN, 8, Hash.fromBase64(LEAF_5.root())).sign(KEY);
        return new TlogProof(5, LEAF_5.proof().stream().map(Hash::fromBase64).toList(), checkpoint);
    }

    @Test
    void writesHeaderIndexHashesThenTheCheckpoint() {
        TlogProof proof = proofOfLeaf5();
        assertThat(proof.text()).isEqualTo("c2sp.org/tlog-proof@v1\nindex 5\n"
                + "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\n"
                + "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=\n"
                + "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\n"
                + "\n" + proof.signedCheckpoint());
        assertThat(TlogProof.parse(proof.text())).isEqualTo(proof);
    }

    @Test
    void verifiesTheLeafAgainstTheSignedCheckpoint() {
        Checkpoint checkpoint = TlogProof.parse(proofOfLeaf5().text())
                .verify(Hash.fromBase64(LEAF_5.leafHash()), ORIGIN, KEY.verifierKey());
        assertThat(checkpoint.size()).isEqualTo(8);
    }

    @Test
    void failsForAnotherLeafAnotherOriginAnotherKeyOrAChangedHash() {
        TlogProof proof = proofOfLeaf5();
        Hash leaf = Hash.fromBase64(LEAF_5.leafHash());
        assertThatThrownBy(() -> proof.verify(MerkleHashes.leaf(new byte[] {5}), ORIGIN, KEY.verifierKey()))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> proof.verify(leaf, "other.example/log", KEY.verifierKey()))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("other.example/log");
        NoteSigningKey otherKey = NoteSigningKey.generate(ORIGIN, new SecureRandom());
        assertThatThrownBy(() -> proof.verify(leaf, ORIGIN, otherKey.verifierKey()))
                .isInstanceOf(NoteFormatException.class);
        String changed = proof.text().replace("yoVOoSjt", "yoVOoSju");
        assertThatThrownBy(() -> TlogProof.parse(changed).verify(leaf, ORIGIN, KEY.verifierKey()))
                .isInstanceOf(InvalidProofException.class);
        String otherIndex = proof.text().replace("index 5", "index 4");
        assertThatThrownBy(() -> TlogProof.parse(otherIndex).verify(leaf, ORIGIN, KEY.verifierKey()))
                .isInstanceOf(InvalidProofException.class);
    }

    /**
     * The example of c2sp.org/tlog-proof (github.com/C2SP/C2SP commit 5ba5ee8, tlog-proof.md; its signatures are
     * elided there).
     */
    @Test
    void readsTheExampleOfTheSpecification() {
        String checkpoint = "example.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n\n"
                + "\u2014 example.com/fancylog hI2DJw[...]1roloI=\n";
        String text = "c2sp.org/tlog-proof@v1\n"
                + "extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ\n"
                + "index 73894\n"
                + "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n"
                + "B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n"
                + "EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=\n"
                + "RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=\n"
                + "AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=\n"
                + "\n" + checkpoint;
        TlogProof proof = TlogProof.parse(text);
        assertThat(proof.extra()).isEqualTo("YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ");
        assertThat(proof.index()).isEqualTo(73894);
        assertThat(proof.inclusionProof()).hasSize(5);
        assertThat(proof.signedCheckpoint()).isEqualTo(checkpoint);
        assertThat(proof.text()).isEqualTo(text);
    }

    @Test
    void refusesMalformedTextNamingTheLine() {
        String tail = "\n\no\n1\n" + MerkleHashes.EMPTY_ROOT.base64() + "\n";
        assertThatThrownBy(() -> TlogProof.parse("c2sp.org/tlog-proof@v2\nindex 0" + tail))
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> TlogProof.parse("c2sp.org/tlog-proof@v1\nindex 01" + tail))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> TlogProof.parse("c2sp.org/tlog-proof@v1\nindex 1\nnot-a-hash" + tail))
                .hasMessageContaining("line 3");
        assertThatThrownBy(() -> TlogProof.parse("c2sp.org/tlog-proof@v1\nindex 1\n"))
                .hasMessageContaining("empty line");
        assertThat(TlogProof.parse("c2sp.org/tlog-proof@v1\nindex 0" + tail).inclusionProof()).isEmpty();
    }
}
