package org.salesledger.audit.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * C2SP signed notes with Ed25519. The fixed vectors are published: the PeterNeumann and EnochRoot keys, note and
 * signatures of golang.org/x/mod's sumdb/note/note_test.go (github.com/golang/mod, commit fe2ec04), and the example of
 * c2sp.org/signed-note (github.com/C2SP/C2SP commit 5ba5ee8, signed-note.md, "Example").
 */
class SignedNoteTest {

    private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String PETER_SKEY =
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String PETER_SIGNATURE = "\u2014 PeterNeumann "
            + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private static final String ENOCH_SIGNATURE = "\u2014 EnochRoot "
            + "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void readsThePublishedVerifierKeysAndComputesTheirKeyIds() {
        NoteVerifierKey peter = NoteVerifierKey.parse(PETER_VKEY);
        assertThat(peter.name()).isEqualTo("PeterNeumann");
        assertThat(peter.keyId()).isEqualTo(0xc74f20a3);
        assertThat(peter.encoded()).isEqualTo(PETER_VKEY);
        assertThat(NoteVerifierKey.parse(ENOCH_VKEY).keyId()).isEqualTo(0xaf0cfe78);
    }

    @Test
    void refusesEveryOneCharacterChangeOfAVerifierKey() {
        char[] key = PETER_VKEY.toCharArray();
        for (int i = 0; i < key.length; i++) {
            key[i]++;
            String changed = new String(key);
            assertThatThrownBy(() -> NoteVerifierKey.parse(changed)).as(changed)
                    .isInstanceOf(NoteFormatException.class);
            key[i]--;
        }
        assertThatThrownBy(() -> NoteVerifierKey.parse(PETER_VKEY.substring(0, 30)))
                .isInstanceOf(NoteFormatException.class);
        // unknown algorithm 0x65, with the key id adjusted to it (from note_test.go)
        assertThatThrownBy(() -> NoteVerifierKey.parse(
                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("not an Ed25519 key");
    }

    @Test
    void signsThePublishedNoteByteForByte() {
        NoteSigningKey peter = NoteSigningKey.parse(PETER_SKEY, PETER_VKEY);
        assertThat(SignedNote.sign(TEXT, peter)).isEqualTo(TEXT + "\n" + PETER_SIGNATURE);
        assertThat(peter.encodedPrivateKey()).isEqualTo(PETER_SKEY);
    }

    @Test
    void opensThePublishedNoteWithTheKnownKeysIgnoringUnknownOnes() {
        String note = TEXT + "\n" + PETER_SIGNATURE + ENOCH_SIGNATURE;
        NoteVerifierKey peter = NoteVerifierKey.parse(PETER_VKEY);
        NoteVerifierKey enoch = NoteVerifierKey.parse(ENOCH_VKEY);

        SignedNote.Verified byPeter = SignedNote.open(note, List.of(peter));
        assertThat(byPeter.text()).isEqualTo(TEXT);
        assertThat(byPeter.signers()).containsExactly(peter);
        assertThat(SignedNote.open(note, List.of(enoch, peter)).signers()).containsExactly(peter, enoch);
    }

    @Test
    void opensTheExampleOfTheC2spSpecification() {
        NoteVerifierKey key = NoteVerifierKey.parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
        String note = "This is an example message.\n\n\u2014 example.com/foo "
                + "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
        assertThat(SignedNote.open(note, List.of(key)).text()).isEqualTo("This is an example message.\n");
    }

    @Test
    void aNoteSignedWithANewKeyOpensWithItsVerifierKey() {
        NoteSigningKey key = NoteSigningKey.generate("salesledger.test/audit", RANDOM);
        String note = SignedNote.sign("line one\n\nline three\n", key);

        assertThat(SignedNote.open(note, List.of(key.verifierKey())).text()).isEqualTo("line one\n\nline three\n");
        assertThat(NoteVerifierKey.parse(key.verifierKey().encoded())).isEqualTo(key.verifierKey());
    }

    @Test
    void aChangedByteInTheTextFailsTheSignature() {
        NoteSigningKey key = NoteSigningKey.generate("salesledger.test/audit", RANDOM);
        String note = SignedNote.sign("tree size 41\n", key);
        String changed = note.replace("41", "42");

        assertThatThrownBy(() -> SignedNote.open(changed, List.of(key.verifierKey())))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("does not verify");
    }

    @Test
    void aChangedSignatureFails() {
        NoteSigningKey key = NoteSigningKey.generate("salesledger.test/audit", RANDOM);
        String note = SignedNote.sign("text\n", key);
        int at = note.length() - 10;
        String changed = note.substring(0, at) + (note.charAt(at) == 'A' ? 'B' : 'A') + note.substring(at + 1);

        assertThatThrownBy(() -> SignedNote.open(changed, List.of(key.verifierKey())))
                .isInstanceOf(NoteFormatException.class);
    }

    @Test
    void anotherKeyOfTheSameNameDoesNotOpenIt() {
        NoteSigningKey key = NoteSigningKey.generate("salesledger.test/audit", RANDOM);
        NoteSigningKey other = NoteSigningKey.generate("salesledger.test/audit", RANDOM);
        String note = SignedNote.sign("text\n", key);

        assertThatThrownBy(() -> SignedNote.open(note, List.of(other.verifierKey())))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("no known key signed this note");
    }

    @Test
    void refusesMalformedNotes() {
        NoteVerifierKey peter = NoteVerifierKey.parse(PETER_VKEY);
        NoteSigningKey key = NoteSigningKey.generate("n", RANDOM);
        assertThatThrownBy(() -> SignedNote.open(TEXT + PETER_SIGNATURE, List.of(peter)))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("blank line");
        assertThatThrownBy(() -> SignedNote.open(TEXT + "\n" + PETER_SIGNATURE.strip(), List.of(peter)))
                .isInstanceOf(NoteFormatException.class);
        assertThatThrownBy(() -> SignedNote.open("a\tb\n\n" + PETER_SIGNATURE, List.of(peter)))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("control character");
        assertThatThrownBy(() -> SignedNote.open(TEXT + "\n- PeterNeumann abcd\n", List.of(peter)))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("not a signature line");
        assertThatThrownBy(() -> SignedNote.sign("no final newline", key))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("newline");
        assertThatThrownBy(() -> NoteSigningKey.generate("with space", RANDOM))
                .isInstanceOf(NoteFormatException.class);
        assertThatThrownBy(() -> NoteSigningKey.generate("a+b", RANDOM)).isInstanceOf(NoteFormatException.class);
    }

    @Test
    void refusesASigningKeyWithAnotherKeysVerifierKey() {
        assertThatThrownBy(() -> NoteSigningKey.parse(PETER_SKEY, ENOCH_VKEY))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("EnochRoot");
        NoteSigningKey other = NoteSigningKey.generate("PeterNeumann", RANDOM);
        String otherSeedUnderPetersId = "PRIVATE+KEY+PeterNeumann+c74f20a3+"
                + other.encodedPrivateKey().split("\\+", 5)[4];
        assertThatThrownBy(() -> NoteSigningKey.parse(otherSeedUnderPetersId, PETER_VKEY))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("does not match");
    }
}
