package org.salesledger.launcher;

/**
 * What only the developer launcher ({@code infra/launcher}'s {@code salesledger.jar}) carries: the embedded
 * PostgreSQL and Kafka servers ({@code infra/embedded}) and the data generator and benchmark harness
 * ({@code infra/bench}). The server artifact ({@code infra/server}'s {@code salesledger-server.jar}, the container
 * image) leaves them out (ADR 41); this says which of them the running class path has, so that the launcher's own
 * classes never touch an absent one.
 */
final class DeveloperTools {

    private DeveloperTools() {
    }

    /** Whether embedded PostgreSQL and Kafka can be started here. */
    static boolean embeddedServers() {
        return present("org.salesledger.infra.embedded.EmbeddedPostgresServer")
                && present("org.salesledger.infra.embedded.EmbeddedKafkaServer");
    }

    /** Whether {@code demo}, {@code generate} and {@code bench} (the data generator and the harness) are here. */
    static boolean benchHarness() {
        return present("org.salesledger.bench.harness.BenchCommand")
                && present("org.salesledger.bench.generate.GenerateCommand");
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, DeveloperTools.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
