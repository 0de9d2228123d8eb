package org.salesledger.bench.harness;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A PostgreSQL database the system under test stores into, and the harness reaches over JDBC for the baselines. */
public record Database(String jdbcUrl, String user, String password) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password == null ? "" : password);
    }

    /** The name of the database in its JDBC URL ({@code jdbc:postgresql://host:port/NAME?…}). */
    public String name() {
        int start = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        if (!jdbcUrl.startsWith("jdbc:postgresql://") || start < 0) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL with a database name: " + jdbcUrl);
        }
        int end = jdbcUrl.indexOf('?', start);
        return jdbcUrl.substring(start + 1, end < 0 ? jdbcUrl.length() : end);
    }

    /** Another database of the same server, reached as the same user. */
    public Database sibling(String name) {
        int start = jdbcUrl.indexOf('/', "jdbc:postgresql://".length()) + 1;
        int end = jdbcUrl.indexOf('?', start);
        return new Database(jdbcUrl.substring(0, start) + name + (end < 0 ? "" : jdbcUrl.substring(end)), user,
                password);
    }

    @Override
    public String toString() {
        return jdbcUrl + (user == null ? "" : " (user " + user + ")");
    }
}
