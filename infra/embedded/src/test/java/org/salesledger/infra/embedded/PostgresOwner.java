package org.salesledger.infra.embedded;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JVM that owns an embedded PostgreSQL, for tests that kill it: {@code PostgresOwner DATA_DIR watched|unwatched}
 * starts the server on the directory, writes its port to {@code DATA_DIR.port} and waits to be killed.
 */
public final class PostgresOwner {

    private PostgresOwner() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        EmbeddedPostgresServer server = args[1].equals("watched") ? EmbeddedPostgresServer.start(dataDir, 0)
                : EmbeddedPostgresServer.startWithoutWatchdog(dataDir, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Path ready = dataDir.resolveSibling(dataDir.getFileName() + ".port");
        Files.writeString(ready.resolveSibling(ready.getFileName() + ".tmp"), Integer.toString(server.port()));
        Files.move(ready.resolveSibling(ready.getFileName() + ".tmp"), ready);
        Thread.sleep(Long.MAX_VALUE);
    }
}
