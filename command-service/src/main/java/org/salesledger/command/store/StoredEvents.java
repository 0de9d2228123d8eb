package org.salesledger.command.store;

import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The command side's reads of Axon's event table ({@code domain_event_entry}) that Axon's own API does not offer:
 * the last sequence number of an aggregate (one or many, with the table's unique index), the customers in id order,
 * and every customer's events in order for a dry run. Ids starting {@code salesledger:} are aggregates of ours that
 * are not customers (the rulebook, the talk-track scripts). The only place on the command side that names the table.
 */
@Component
public class StoredEvents {

    private final JdbcTemplate jdbc;

    StoredEvents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The sequence number of the aggregate's last stored event; empty when it has none. */
    public OptionalLong lastSequence(String aggregateId) {
        Long last = jdbc.queryForObject("SELECT max(sequence_number) FROM domain_event_entry "
                + "WHERE aggregate_identifier = ?", Long.class, aggregateId);
        return last == null ? OptionalLong.empty() : OptionalLong.of(last);
    }

    /**
     * The sequence number of each aggregate's last stored event (absent: none yet), in one query. Asked after the
     * customers' locks are held, it is what this transaction will build on.
     */
    public Map<String, Long> lastSequences(Collection<String> aggregateIds) {
        Map<String, Long> last = new HashMap<>();
        jdbc.query(con -> {
            var statement = con.prepareStatement("SELECT c, (SELECT max(sequence_number) FROM domain_event_entry "
                    + "WHERE aggregate_identifier = c) FROM unnest(?::varchar[]) AS c");
            statement.setArray(1, con.createArrayOf("varchar", aggregateIds.toArray()));
            return statement;
        }, rs -> {
            long sequence = rs.getLong(2);
            if (!rs.wasNull()) {
                last.put(rs.getString(1), sequence);
            }
        });
        return last;
    }

    /** At most {@code limit} registered customers whose ids come after {@code after}, in id order. */
    public List<String> customersAfter(String after, int limit) {
        return jdbc.queryForList("SELECT aggregate_identifier FROM domain_event_entry "
                + "WHERE sequence_number = 0 AND aggregate_identifier > ? AND aggregate_identifier NOT LIKE 'salesledger:%' "
                + "ORDER BY aggregate_identifier LIMIT ?", String.class, after, limit);
    }

    /** Takes stored events of customers, not deserialized, one at a time, until it has seen enough. */
    public interface RawEventReader {
        /** Whether to stop reading (asked before each event). */
        boolean stopped();

        /** Takes one event. */
        void row(String customerId, long sequence, String payloadType, String payloadRevision, byte[] payload,
                 byte[] metadata);
    }

    /**
     * Reads every customer's events, customer by customer in id order and each in sequence, {@code fetchSize} rows
     * at a time, until the reader has stopped. Must be called in a transaction (PostgreSQL streams a result only
     * within one).
     */
    public void readEveryCustomer(int fetchSize, RawEventReader reader) {
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("SELECT aggregate_identifier, sequence_number, "
                    + "payload_type, payload_revision, payload, meta_data FROM domain_event_entry "
                    + "WHERE aggregate_identifier NOT LIKE 'salesledger:%' "
                    + "ORDER BY aggregate_identifier, sequence_number");
            statement.setFetchSize(fetchSize);
            return statement;
        }, (ResultSet rs) -> {
            while (!reader.stopped() && rs.next()) {
                reader.row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                        rs.getBytes(6));
            }
            return null;
        });
    }
}
