package org.salesledger.infra.platform;

import java.sql.SQLException;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;

/**
 * Recognises PostgreSQL's unique violation (SQLSTATE 23505) wherever it sits in the cause chain — including
 * behind a {@code BatchUpdateException}, where Axon's default JDBC resolver does not find it. Axon then reports a
 * concurrent append to the same aggregate as a {@code ConcurrencyException}, which callers retry, instead of a
 * generic storage failure.
 */
public class PostgresDuplicateKeyResolver implements PersistenceExceptionResolver {

    static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
