package org.salesledger.audit.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint key kept in a file of the note formats' two lines. */
class NoteKeyFileTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path directory;

    @Test
    void createsAKeyOnceAndReadsTheSameKeyAfterwards() throws Exception {
        Path file = directory.resolve("audit/checkpoint-key");
        NoteSigningKey created = NoteKeyFile.readOrCreate(file, "salesledger.test/audit", RANDOM);
        NoteSigningKey again = NoteKeyFile.readOrCreate(file, "salesledger.test/audit", RANDOM);

        assertThat(again.verifierKey()).isEqualTo(created.verifierKey());
        assertThat(again.encodedPrivateKey()).isEqualTo(created.encodedPrivateKey());
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                .containsExactly(created.encodedPrivateKey(), created.verifierKey().encoded());
        String note = SignedNote.sign("text\n", created);
        assertThat(SignedNote.open(note, List.of(again.verifierKey())).text()).isEqualTo("text\n");
    }

    @Test
    void writesTheFileOwnerOnlyWherePermissionsExist() throws Exception {
        Path file = directory.resolve("checkpoint-key");
        NoteKeyFile.write(file, NoteSigningKey.generate("k", RANDOM));

        if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(file); // no temporary file left beside it
        }
    }

    @Test
    void neverOverwritesAKey() throws Exception {
        Path file = directory.resolve("checkpoint-key");
        NoteSigningKey first = NoteSigningKey.generate("k", RANDOM);
        NoteKeyFile.write(file, first);

        assertThatThrownBy(() -> NoteKeyFile.write(file, NoteSigningKey.generate("k", RANDOM)))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(NoteKeyFile.read(file).verifierKey()).isEqualTo(first.verifierKey());
    }

    @Test
    void refusesAKeyOfAnotherName() throws Exception {
        Path file = directory.resolve("checkpoint-key");
        NoteKeyFile.write(file, NoteSigningKey.generate("old.example/log", RANDOM));

        assertThatThrownBy(() -> NoteKeyFile.readOrCreate(file, "new.example/log", RANDOM))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("named old.example/log, not new.example/log");
    }

    @Test
    void refusesAFileThatIsNotAKeyPair() throws Exception {
        Path truncated = directory.resolve("truncated");
        Files.writeString(truncated, NoteSigningKey.generate("k", RANDOM).encodedPrivateKey() + "\n");
        assertThatThrownBy(() -> NoteKeyFile.read(truncated)).isInstanceOf(NoteFormatException.class)
                .hasMessageContaining("not a note key file");

        Path mixed = directory.resolve("mixed");
        Files.writeString(mixed, NoteSigningKey.generate("k", RANDOM).encodedPrivateKey() + "\n"
                + NoteSigningKey.generate("k", RANDOM).verifierKey().encoded() + "\n");
        assertThatThrownBy(() -> NoteKeyFile.read(mixed)).isInstanceOf(NoteFormatException.class)
                .hasMessageContaining(mixed.toString());
    }
}
