package org.salesledger.command.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the time-driven rules are doing for a customer, read from their tables, so that a test can wait for a moment
 * after which nothing more can happen instead of sleeping and hoping: a customer's rule-made actions come only from a
 * deadline, and a deadline is planned only by the {@code timers} processor (after the customer's actions), by the
 * re-plan sweep (after a change of the time rules) or by a firing (its next deadline). So once
 * <ul>
 *   <li>every sweep has finished ({@code rule_timer_replan}, and no sweep task in {@code scheduled_tasks}),</li>
 *   <li>every segment of the {@code timers} processor has a token past each of the customer's stored events, and</li>
 *   <li>the customer has no deadline that is due (no {@code rule_timer} row, or one due later than the test runs),</li>
 * </ul>
 * the customer is <em>settled</em>: what it has recorded is all it will record until something new happens.
 */
public final class RuleDeadlines {

    /** How long a test waits for the system to get somewhere before it fails. */
    public static final Duration PATIENCE = Duration.ofSeconds(120);
    /** A deadline due later than this is beyond any test: a settled customer may keep it. */
    private static final Duration BEYOND_THE_TEST = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleDeadlines() {
    }

    /**
     * Waits until the latest change of the rulebook has been swept (every customer re-planned under it). Call it
     * right after publishing or retiring a time-driven rule.
     */
    public static void awaitSwept(JdbcTemplate jdbc) {
        Long head = jdbc.queryForObject("SELECT max(sequence_number) FROM domain_event_entry "
                + "WHERE aggregate_identifier = 'salesledger:rulebook'", Long.class);
        awaitTrue("the sweep of rulebook position " + head + " finished", () -> {
            Long finished = jdbc.queryForObject("SELECT count(*) FROM rule_timer_replan WHERE rulebook_position >= ? "
                    + "AND finished_at IS NOT NULL", Long.class, head);
            return finished != null && finished > 0 ? null : "rule_timer_replan: " + jdbc.queryForList(
                    "SELECT * FROM rule_timer_replan ORDER BY rulebook_position DESC LIMIT 3");
        });
    }

    /** Waits until the customer has a planned deadline; answers its schedule id. */
    public static String awaitPlanned(JdbcTemplate jdbc, String customer) {
        String[] schedule = new String[1];
        awaitTrue("a deadline planned for " + customer, () -> {
            List<String> ids = jdbc.queryForList("SELECT schedule_id FROM rule_timer WHERE customer_id = ?",
                    String.class, customer);
            if (ids.isEmpty()) {
                return "no rule_timer row";
            }
            schedule[0] = ids.get(0);
            return null;
        });
        return schedule[0];
    }

    /** Waits until the customer is settled (see the class comment). */
    public static void awaitSettled(JdbcTemplate jdbc, String customer) {
        awaitTrue(customer + " settled", () -> unsettled(jdbc, customer));
    }

    /** Why the customer is not settled yet, or {@code null} when it is. */
    static String unsettled(JdbcTemplate jdbc, String customer) {
        Long sweeping = jdbc.queryForObject("SELECT (SELECT count(*) FROM rule_timer_replan WHERE finished_at IS NULL)"
                + " + (SELECT count(*) FROM scheduled_tasks WHERE task_name = 'rule-timer-replan')", Long.class);
        if (sweeping != null && sweeping > 0) {
            return "a re-plan sweep is running";
        }
        String behind = notPast(jdbc, "timers", customer);
        if (behind != null) {
            return behind;
        }
        List<Map<String, Object>> due = jdbc.queryForList("SELECT due_at, due_at <= now() + make_interval(secs => ?) "
                + "AS soon FROM rule_timer WHERE customer_id = ?", BEYOND_THE_TEST.toSeconds(), customer);
        if (!due.isEmpty() && Boolean.TRUE.equals(due.get(0).get("soon"))) {
            return "a deadline is due at " + due.get(0).get("due_at");
        }
        return null;
    }

    /**
     * Why some segment of the {@code processor} has not yet handled every stored event of the {@code customer}
     * (its token is before one of them, or has it in its gaps), or {@code null} when every segment is past them.
     */
    public static String notPast(JdbcTemplate jdbc, String processor, String customer) {
        List<Long> stored = jdbc.queryForList("SELECT global_index FROM domain_event_entry "
                + "WHERE aggregate_identifier = ?", Long.class, customer);
        List<Map<String, Object>> tokens = jdbc.queryForList("SELECT segment, token FROM token_entry "
                + "WHERE processor_name = ? ORDER BY segment", processor);
        if (tokens.isEmpty()) {
            return "the " + processor + " processor has no tokens yet";
        }
        for (Map<String, Object> row : tokens) {
            String behind = behind(row.get("token"), stored);
            if (behind != null) {
                return processor + " segment " + row.get("segment") + ": " + behind;
            }
        }
        return null;
    }

    /** Why a token has not yet passed all of {@code stored}, or {@code null} when it has. */
    private static String behind(Object token, List<Long> stored) {
        if (token == null) {
            return "no token";
        }
        JsonNode json;
        try {
            json = JSON.readTree(new String((byte[]) token, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("a token that is not JSON: "
                    + new String((byte[]) token, StandardCharsets.UTF_8), e);
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
