package org.salesledger.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the command side is doing for a customer, read from its tables, so that a test waits for a moment after which
 * nothing more can happen instead of sleeping and hoping. A customer's rule-made actions come only from a deadline,
 * and a deadline is planned only by the {@code timers} processor (after the customer's actions), by the re-plan sweep
 * (after a change of the time rules) or by a firing (its next deadline). So once
 * <ul>
 *   <li>every sweep has finished ({@code rule_timer_replan}, and no sweep task in {@code scheduled_tasks}),</li>
 *   <li>every segment of the {@code timers} processor has a token past each of the customer's stored events, and</li>
 *   <li>the customer has no deadline that is due (no {@code rule_timer} row, or one due later than the test runs),</li>
 * </ul>
 * the customer is <em>settled</em>: what it has recorded is all it will record until something new happens. The same
 * token check tells when another processor (the Kafka relay) has handled a customer's events.
 */
public final class RuleDeadlines {

    /** How long a test waits for the system to get somewhere before it fails. */
    public static final Duration PATIENCE = Duration.ofSeconds(120);
    /** A deadline due later than this is beyond any test: a settled customer may keep it. */
    private static final Duration BEYOND_THE_TEST = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleDeadlines() {
    }

    /** A check on the database: why it does not hold yet, or {@code null} when it does. */
    @FunctionalInterface
    public interface Check {
        String why(Connection connection) throws SQLException;
    }

    /**
     * Waits until the latest change of the time-driven rules has been swept (every customer re-planned under it).
     * Call it right after publishing or retiring a time-driven rule.
     */
    public static void awaitSwept(TestPostgres.TestDatabase db) {
        Long[] change = new Long[1];
        awaitTrue("the sweep of the latest change of the time rules", db, c -> {
            if (change[0] == null) {
                // the rulebook's latest RulePublished of a time-driven kind, or RuleRetired of a rule published
                // as one (retiring a rule of another kind, e.g. an INCENTIVE plan, sweeps nothing)
                change[0] = one(c, "SELECT coalesce(max(e.sequence_number), -1) FROM domain_event_entry e "
                        + "WHERE e.aggregate_identifier = 'salesledger:rulebook' AND ((e.payload_type LIKE '%RuleRetired' "
                        + "AND EXISTS (SELECT 1 FROM domain_event_entry p "
                        + "WHERE p.aggregate_identifier = 'salesledger:rulebook' AND p.payload_type LIKE '%RulePublished' "
                        + "AND convert_from(p.payload, 'UTF8')::jsonb ->> 'ruleId' "
                        + "= convert_from(e.payload, 'UTF8')::jsonb ->> 'ruleId' "
                        + "AND convert_from(p.payload, 'UTF8')::jsonb -> 'rule' ->> 'kind' "
                        + "IN ('ESCALATE', 'IDLE', 'POOL', 'COLLECTION'))) "
                        + "OR convert_from(e.payload, 'UTF8')::jsonb -> 'rule' ->> 'kind' "
                        + "IN ('ESCALATE', 'IDLE', 'POOL', 'COLLECTION'))");
            }
            return change[0] < 0 || one(c, "SELECT count(*) FROM rule_timer_replan WHERE rulebook_position >= ? "
                    + "AND finished_at IS NOT NULL", change[0]) > 0 ? null
                    : "no finished sweep at or after rulebook position " + change[0];
        });
    }

    /** Waits until the customer has a planned deadline; answers its schedule id (its db-scheduler task instance). */
    public static String awaitPlanned(TestPostgres.TestDatabase db, String customer) {
        String[] schedule = new String[1];
        awaitTrue("a deadline planned for " + customer, db, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT schedule_id FROM rule_timer WHERE customer_id = ?")) {
                s.setString(1, customer);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return "no rule_timer row";
                    }
                    schedule[0] = rs.getString(1);
                    return null;
                }
            }
        });
        return schedule[0];
    }

    /** Waits until the customer is settled (see the class comment). */
    public static void awaitSettled(TestPostgres.TestDatabase db, String customer) {
        awaitTrue(customer + " settled", db, c -> unsettled(c, customer));
    }

    /** Waits until every segment of {@code processor} has handled every stored event of the {@code customer}. */
    public static void awaitPast(TestPostgres.TestDatabase db, String processor, String customer) {
        awaitTrue(processor + " past the events of " + customer, db, c -> notPast(c, processor, customer));
    }

    private static String unsettled(Connection c, String customer) throws SQLException {
        if (one(c, "SELECT (SELECT count(*) FROM rule_timer_replan WHERE finished_at IS NULL)"
                + " + (SELECT count(*) FROM scheduled_tasks WHERE task_name = 'rule-timer-replan')") > 0) {
            return "a re-plan sweep is running";
        }
        String behind = notPast(c, "timers", customer);
        if (behind != null) {
            return behind;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT due_at FROM rule_timer WHERE customer_id = ? "
                + "AND due_at <= now() + make_interval(secs => ?)")) {
            s.setString(1, customer);
            s.setLong(2, BEYOND_THE_TEST.toSeconds());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? "a deadline is due at " + rs.getTimestamp(1).toInstant() : null;
            }
        }
    }

    /**
     * Why some segment of the {@code processor} has not yet handled every stored event of the {@code customer} (its
     * token is before one of them, or has it among its gaps), or {@code null} when every segment is past them.
     */
    private static String notPast(Connection c, String processor, String customer) throws SQLException {
        List<Long> stored = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT global_index FROM domain_event_entry "
                + "WHERE aggregate_identifier = ?")) {
            s.setString(1, customer);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getLong(1));
                }
            }
        }
        boolean any = false;
        try (PreparedStatement s = c.prepareStatement("SELECT segment, token FROM token_entry "
                + "WHERE processor_name = ? ORDER BY segment")) {
            s.setString(1, processor);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    any = true;
                    String behind = behind(rs.getBytes(2), stored);
                    if (behind != null) {
                        return processor + " segment " + rs.getInt(1) + ": " + behind;
                    }
                }
            }
        }
        return any ? null : "the " + processor + " processor has no tokens yet";
    }

    /** Why a token has not yet passed all of {@code stored}, or {@code null} when it has. */
    private static String behind(byte[] token, List<Long> stored) {
        if (token == null) {
            return "no token";
        }
        JsonNode json;
        try {
            json = JSON.readTree(new String(token, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("a token that is not JSON: " + new String(token, StandardCharsets.UTF_8), e);
        }
        while (json.has("currentToken")) { // a replay token: where it is now
            json = json.get("currentToken");
        }
        if (!json.has("index")) {
            throw new AssertionError("a token this test cannot read: " + json);
        }
        long index = json.get("index").asLong();
        Set<Long> gaps = new HashSet<>();
        json.path("gaps").forEach(g -> gaps.add(g.asLong()));
        List<Long> missed = new ArrayList<>();
        for (long position : stored) {
            if (position > index || gaps.contains(position)) {
                missed.add(position);
            }
        }
        return missed.isEmpty() ? null : "at " + json + ", not yet past " + missed;
    }

    private static long one(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Polls {@code check} on one connection to {@code db} until it holds; fails after {@link #PATIENCE}. */
    public static void awaitTrue(String what, TestPostgres.TestDatabase db, Check check) {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            connection.setAutoCommit(true);
            awaitTrue(what, () -> {
                try {
                    return check.why(connection);
                } catch (SQLException e) {
                    throw new AssertionError("could not check " + what, e);
                }
            });
        } catch (SQLException e) {
            throw new AssertionError("could not connect to check " + what, e);
        }
    }

    /** Polls {@code why} (null: done) until done; fails with the last reason after {@link #PATIENCE}. */
    public static void awaitTrue(String what, Supplier<String> why) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String reason = why.get();
        while (reason != null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            reason = why.get();
        }
        if (reason != null) {
            throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + "; still: " + reason);
        }
    }
}
