package org.salesledger.projections.testing;

import org.flywaydb.core.Flyway;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;
import org.salesledger.testing.TestPostgres;

/** A fresh PostgreSQL database with the read models' migrations applied, for projection tests. */
public final class ReadModelDatabase {

    private ReadModelDatabase() {
    }

    public static CloseableDSLContext migrated() {
        TestPostgres.TestDatabase test = TestPostgres.newDatabase();
        Flyway.configure().dataSource(test.jdbcUrl(), test.user(), test.password())
                .locations("classpath:db/projections").load().migrate();
        return DSL.using(test.jdbcUrl(), test.user(), test.password());
    }
}
