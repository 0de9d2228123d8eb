package org.salesledger.projections.testing;

import org.flywaydb.core.Flyway;
import org.salesledger.infra.platform.AxonTablesMigration;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;
import org.salesledger.testing.TestPostgres;

/** A fresh PostgreSQL database with the read models' migrations applied, for projection tests. */
public final class ReadModelDatabase {

    private ReadModelDatabase() {
    }

    public static CloseableDSLContext migrated() {
        return migrate(TestPostgres.newDatabase(), null);
    }

    /** A fresh migrated database, by its connection details: for tests that open several connections. */
    public static TestPostgres.TestDatabase create() {
        TestPostgres.TestDatabase test = TestPostgres.newDatabase();
        migrate(test, null).close();
        return test;
    }

    /** A fresh database with the migrations up to and including {@code version}: how an older release left it. */
    public static TestPostgres.TestDatabase migratedTo(String version) {
        TestPostgres.TestDatabase test = TestPostgres.newDatabase();
        migrate(test, version).close();
        return test;
    }

    /** Applies the migrations not yet applied, up to {@code version} ({@code null}: all of them). */
    public static CloseableDSLContext migrate(TestPostgres.TestDatabase test, String version) {
        // Axon's tables (token_entry, dead_letter_entry) first, as each side migrates them before its own
        AxonTablesMigration.migrate(test.jdbcUrl(), test.user(), test.password());
        var flyway = Flyway.configure().dataSource(test.jdbcUrl(), test.user(), test.password())
                .locations("classpath:db/projections").baselineOnMigrate(true).baselineVersion("0");
        if (version != null) {
            flyway = flyway.target(version);
        }
        flyway.load().migrate();
        return DSL.using(test.jdbcUrl(), test.user(), test.password());
    }
}
