package org.salesledger.launcher;

import java.nio.file.Path;
import java.util.Map;
import org.salesledger.testing.TestKafka;
import org.salesledger.testing.TestPostgres;

/** How the end-to-end tests configure a whole system: the tests' PostgreSQL and Kafka, free ports. */
final class TestSystems {

    private TestSystems() {
    }

    /** A system on a fresh database of the tests' PostgreSQL, keeping its files under {@code dataDir}. */
    static Settings settings(Path dataDir) {
        return settings(TestPostgres.newDatabase(), dataDir);
    }

    /**
     * Signs the tests' HTTP calls (and the CLI commands they run in this JVM) in as the system's admin client, which
     * it wrote to its data directory (contract §7). Answers the admin's token.
     */
    static String signIn(EmbeddedSystem system) {
        String token = org.salesledger.testing.TestHttp.signInAsAdmin(system.dataDir(), system.commandPort(),
                system.queryPort());
        org.salesledger.launcher.cli.CliCredentials.useToken(token);
        return token;
    }

    /** A system on {@code db}, keeping its files under {@code dataDir}. */
    static Settings settings(TestPostgres.TestDatabase db, Path dataDir) {
        return Settings.from(Map.of())
                .withPorts(0, 0, 0)
                .withDataDir(dataDir)
                .withDatabase(db.jdbcUrl(), db.user(), db.password())
                .withKafka(TestKafka.bootstrapServers());
    }
}
