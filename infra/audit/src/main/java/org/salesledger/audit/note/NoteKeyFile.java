package org.salesledger.audit.note;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

/**
 * Keeps a {@link NoteSigningKey} in a text file of two lines, the note formats' own:
 *
 * <pre>
 * PRIVATE+KEY+&lt;name&gt;+&lt;hex key id&gt;+&lt;base64(0x01 ‖ 32-byte Ed25519 seed)&gt;
 * &lt;name&gt;+&lt;hex key id&gt;+&lt;base64(0x01 ‖ 32-byte Ed25519 public key)&gt;
 * </pre>
 *
 * The first line is exactly what Go's {@code note.NewSigner} reads, the second what {@code note.NewVerifier} reads
 * (and what auditors are given). Both are kept because the JDK cannot derive the public key from the seed; reading
 * checks that they are one pair.
 *
 * <p>A new file is written owner-only ({@code rw-------}) where the file system has POSIX permissions, completely or
 * not at all (written beside it, then linked into place), and never over an existing file: a key that signed
 * checkpoints must not be lost to a second start racing the first.
 */
public final class NoteKeyFile {

    private NoteKeyFile() {
    }

    /** The key kept in {@code file}, or a new one named {@code name} written there if there is no file yet. */
    public static NoteSigningKey readOrCreate(Path file, String name, SecureRandom random) throws IOException {
        if (!Files.exists(file)) {
            try {
                NoteSigningKey created = NoteSigningKey.generate(name, random);
                write(file, created);
                return created;
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use that one
            }
        }
        NoteSigningKey key = read(file);
        if (!key.name().equals(name)) {
            throw new NoteFormatException("the key in " + file + " is named " + key.name() + ", not " + name);
        }
        return key;
    }

    /**
     * Reads the key kept in {@code file}.
     *
     * @throws NoteFormatException if the file does not hold a signing key and its matching verifier key
     */
    public static NoteSigningKey read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .toList();
        if (lines.size() != 2) {
            throw new NoteFormatException(file + " is not a note key file (two lines: PRIVATE+KEY+… and the verifier"
                    + " key); if it was cut short by a crash before any checkpoint was signed, delete it");
        }
        try {
            return NoteSigningKey.parse(lines.get(0), lines.get(1));
        } catch (NoteFormatException e) {
            throw new NoteFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code key} to a new file {@code file} (parent directories created).
     *
     * @throws FileAlreadyExistsException if the file exists
     */
    public static void write(Path file, NoteSigningKey key) throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Files.createDirectories(directory);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp", ownerOnly);
        try {
            byte[] content = (key.encodedPrivateKey() + "\n" + key.verifierKey().encoded() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(content));
                channel.force(true);
            }
            try {
                Files.createLink(target, temporary); // atomic, and fails if the target exists
            } catch (FileAlreadyExistsException exists) {
                throw exists;
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                Files.move(temporary, target); // refuses an existing target too, though not atomically
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
