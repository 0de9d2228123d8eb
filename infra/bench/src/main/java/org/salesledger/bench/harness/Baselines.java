package org.salesledger.bench.harness;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * What raw PostgreSQL does on the same server at the same moment: one-row insert transactions, {@code COPY}, and a
 * sequential read. The rows are shaped like the event store's ({@code domain_event_entry}): a 500-byte payload,
 * a big-serial primary key and two unique indexes (event id; aggregate id and sequence), in a table of their own
 * ({@code bench_baseline.event_row}), emptied before each measurement and dropped at the end.
 */
final class Baselines {

    static final int PAYLOAD_BYTES = 500;
    private static final String TABLE = "bench_baseline.event_row";
    private static final String PAYLOAD_TYPE = "org.salesledger.kernel.visit.VisitLogged";

    private final Database database;

    Baselines(Database database) {
        this.database = database;
    }

    /** An empty event-shaped table. */
    void reset() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench_baseline");
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
            statement.execute("CREATE TABLE " + TABLE + " ("
                    + "global_index BIGSERIAL PRIMARY KEY, "
                    + "event_identifier VARCHAR(255) NOT NULL UNIQUE, "
                    + "aggregate_identifier VARCHAR(255) NOT NULL, "
                    + "sequence_number BIGINT NOT NULL, "
                    + "payload BYTEA NOT NULL, "
                    + "payload_type VARCHAR(255) NOT NULL, "
                    + "time_stamp VARCHAR(255) NOT NULL, "
                    + "UNIQUE (aggregate_identifier, sequence_number))");
        }
    }

    void drop() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS bench_baseline CASCADE");
        }
    }

    /** {@code clients} connections, each committing one-row insert transactions one after the other. */
    Measurement oneRowInserts(int clients, Duration warmup, Duration measured, Load.Window window) throws Exception {
        reset();
        Connection[] connections = new Connection[clients];
        try {
            for (int c = 0; c < clients; c++) {
                connections[c] = database.connect();
                connections[c].setAutoCommit(false);
            }
            return Load.run(clients, warmup, measured, c -> {
                Connection connection = connections[c];
                byte[] payload = payload(c);
                String aggregatePrefix = "bench-" + c + "-";
                long[] n = {0};
                PreparedStatement insert;
                try {
                    insert = connection.prepareStatement("INSERT INTO " + TABLE + " (event_identifier, "
                            + "aggregate_identifier, sequence_number, payload, payload_type, time_stamp) "
                            + "VALUES (?, ?, ?, ?, ?, ?)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return () -> {
                    long i = n[0]++;
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, aggregatePrefix + i / 10);
                    insert.setLong(3, i % 10);
                    insert.setBytes(4, payload);
                    insert.setString(5, PAYLOAD_TYPE);
                    insert.setString(6, java.time.Instant.now().toString());
                    insert.executeUpdate();
                    connection.commit();
                    return true;
                };
            }, window);
        } finally {
            for (Connection connection : connections) {
                if (connection != null) {
                    connection.close();
                }
            }
        }
    }

    /**
     * {@code rows} event-shaped rows in one {@code COPY … FROM STDIN (FORMAT binary)}; the window is the COPY, ended
     * while its connection is still open.
     */
    Measurement copy(long rows, Load.Window window) throws Exception {
        reset();
        byte[] payload = payload(-1);
        byte[] payloadType = PAYLOAD_TYPE.getBytes(StandardCharsets.UTF_8);
        try (Connection connection = database.connect()) {
            window.started();
            long started = System.nanoTime();
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + TABLE
                    + " (event_identifier, aggregate_identifier, sequence_number, payload, payload_type, time_stamp)"
                    + " FROM STDIN (FORMAT binary)");
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeBytes("PGCOPY\n");
            out.write(new byte[]{(byte) 0xFF, '\r', '\n', 0});
            out.writeInt(0);
            out.writeInt(0);
            for (long i = 0; i < rows; i++) {
                out.writeShort(6);
                field(out, UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
                field(out, ("bench-copy-" + i / 10).getBytes(StandardCharsets.US_ASCII));
                out.writeInt(8);
                out.writeLong(i % 10);
                field(out, payload);
                field(out, payloadType);
                field(out, java.time.Instant.now().toString().getBytes(StandardCharsets.US_ASCII));
                if (buffer.size() > (1 << 20) - 1024) {
                    copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                    buffer.reset();
                }
            }
            out.writeShort(-1);
            copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
            long copied = copy.endCopy();
            double seconds = (System.nanoTime() - started) / 1e9;
            window.ended();
            return Measurement.rate(copied, seconds);
        }
    }

    private static void field(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads every row of the event store in order, as a streaming processor would, {@code fetchSize} at a time. */
    Measurement sequentialRead(int fetchSize) throws SQLException {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            long rows = 0;
            long bytes = 0;
            try (PreparedStatement select = connection.prepareStatement("SELECT global_index, event_identifier, "
                    + "meta_data, payload, payload_revision, payload_type, time_stamp, aggregate_identifier, "
                    + "sequence_number, type FROM domain_event_entry ORDER BY global_index")) {
                select.setFetchSize(fetchSize);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        bytes += rs.getLong(1) + rs.getString(2).length();
                        byte[] meta = rs.getBytes(3);
                        bytes += (meta == null ? 0 : meta.length) + rs.getBytes(4).length;
                        rs.getString(5);
                        rs.getString(6);
                        rs.getString(7);
                        rs.getString(8);
                        rs.getLong(9);
                        rs.getString(10);
                    }
                }
            }
            connection.commit();
            return Measurement.rate(rows, (System.nanoTime() - started) / 1e9);
        }
    }

    private static byte[] payload(int seed) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (' ' + random.nextInt(95));
        }
        return payload;
    }
}
