package org.salesledger.infra.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The users and the organisation (contract §7), kept as events: each change of a user is appended to
 * {@code org_user_event} with who made it, when, and the user before and after; {@code org_user} is the user as its
 * last event left it, written in the same transaction. The token check asks {@link #current} at every call; the
 * answer is kept in memory until the organisation changes, in this process or another ({@link OrganisationChanges}),
 * so a change — a deactivation above all — applies to the next call.
 */
public class Organisation implements AutoCloseable {

    /** What {@code PUT /api/v1/admin/users/{id}} asks for. */
    public record Definition(String name, List<String> roles, String team, String region, String supervisorId,
                             boolean active) {
    }

    /** The outcome of a {@link #define}: the user now, whether it was created, and whether anything changed. */
    public record Defined(User user, boolean created, boolean changed) {
    }

    /**
     * Refused: the change would leave no active user with the role {@code admin}, and so nobody to manage users, rules
     * or rebuilds (with the embedded authorization server, nobody could ever get such a token again).
     */
    public static final class LastAdmin extends RuntimeException {
        private final String field;

        LastAdmin(String userId, String field) {
            super("'" + userId + "' is the last active admin: make another user admin first");
            this.field = field;
        }

        /** {@code active} for a deactivation, {@code roles} for a change of roles. */
        public String field() {
            return field;
        }
    }

    /** One stored change of a user. */
    public record Change(long seq, String userId, long version, String type, Instant at, String by, Object before,
                         Object after) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How many users (and supervisors' teams) the token check keeps in memory at most. */
    private static final int KEPT_USERS = 100_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private OrganisationChanges changes;
    private final KnownUsers known;

    public Organisation(JdbcTemplate jdbc, TransactionTemplate transaction, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
        this.known = new KnownUsers(this::find, this::repsOf, OrganisationChanges.GENERATION::get,
                this::listening, KEPT_USERS);
    }

    /** Starts listening for changes made by other processes, so that {@link #current} may keep users in memory. */
    Organisation listen() {
        changes = new OrganisationChanges(jdbc.getDataSource()).start();
        return this;
    }

    /** Whether changes made by other processes are being heard ({@link OrganisationChanges}). */
    boolean listening() {
        return changes != null && changes.listening();
    }

    @Override
    public void close() {
        if (changes != null) {
            changes.close();
        }
    }

    /** The user as it is now, for the token check: kept in memory until the organisation changes. */
    Optional<User> current(String userId) {
        return known.user(userId);
    }

    /** {@link #repsOf}, for the token check: kept in memory until the organisation changes. */
    Set<String> currentRepsOf(String supervisorId) {
        return known.repsOf(supervisorId);
    }

    /**
     * Runs a change of the organisation; once its transaction has ended, the change is counted in this JVM before
     * anyone is answered. The work calls {@link #announce} when it writes something.
     */
    private <T> T change(java.util.function.Supplier<T> work) {
        try {
            return transaction.execute(status -> work.get());
        } finally {
            OrganisationChanges.GENERATION.incrementAndGet();
        }
    }

    /** Tells other processes that the organisation changed ({@code NOTIFY}, delivered when the transaction commits). */
    private void announce() {
        jdbc.queryForList("SELECT pg_notify(?, '')", OrganisationChanges.CHANNEL);
    }

    public Optional<User> find(String userId) {
        List<User> found = jdbc.query("SELECT * FROM org_user WHERE user_id = ?", Organisation::user, userId);
        return found.stream().findFirst();
    }

    public List<User> all() {
        return jdbc.query("SELECT * FROM org_user ORDER BY user_id", Organisation::user);
    }

    /** The users whose supervisor is this one (deactivated ones too: their customers are still supervised). */
    public Set<String> repsOf(String supervisorId) {
        return new HashSet<>(jdbc.queryForList("SELECT user_id FROM org_user WHERE supervisor_id = ?", String.class,
                supervisorId));
    }

    /** Every change, oldest first, of one user or (userId null) of all. */
    public List<Change> history(String userId) {
        String sql = "SELECT seq, user_id, version, type, at, changed_by, before::text, after::text FROM org_user_event"
                + (userId == null ? "" : " WHERE user_id = ?") + " ORDER BY seq";
        Object[] args = userId == null ? new Object[0] : new Object[] {userId};
        return jdbc.query(sql, (rs, n) -> new Change(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                rs.getTimestamp(5).toInstant(), rs.getString(6), tree(rs.getString(7)), tree(rs.getString(8))), args);
    }

    /**
     * Creates or changes a user, stored as an event when anything changed; the caller has checked the definition.
     * Concurrent changes of one user take turns on its row (or on the insert's key).
     */
    public Defined define(String userId, Definition definition, String by) {
        return change(() -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext('org_user:' || ?))", userId);
            Optional<User> before = find(userId);
            Instant now = clock.instant();
            List<String> roles = List.copyOf(new TreeSet<>(definition.roles()));
            User after = new User(userId, definition.name(), roles, definition.team(), definition.region(),
                    definition.supervisorId(), definition.active(), before.map(u -> u.version() + 1).orElse(1L), now, by);
            if (before.isPresent() && same(before.get(), after)) {
                return new Defined(before.get(), false, false);
            }
            if (before.isPresent() && isAdmin(before.get()) && !isAdmin(after)) {
                // concurrent changes of two admins take turns here, so that they cannot both pass the count
                jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext('org_user:admins'))");
                Integer others = jdbc.queryForObject("SELECT count(*) FROM org_user WHERE active AND 'admin' = ANY(roles)"
                        + " AND user_id <> ?", Integer.class, userId);
                if (others == null || others == 0) {
                    throw new LastAdmin(userId, after.active() ? "roles" : "active");
                }
            }
            announce();
            String type = before.isEmpty() ? "UserCreated"
                    : before.get().active() && !after.active() ? "UserDeactivated"
                    : !before.get().active() && after.active() ? "UserReactivated" : "UserChanged";
            jdbc.update("INSERT INTO org_user_event (user_id, version, type, at, changed_by, before, after) "
                            + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)", userId, after.version(), type,
                    Timestamp.from(now), by, before.map(Organisation::json).orElse(null), json(after));
            jdbc.update("INSERT INTO org_user (user_id, name, roles, team, region, supervisor_id, active, version, "
                            + "changed_at, changed_by) VALUES (?, ?, ?::varchar[], ?, ?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, roles = excluded.roles, "
                            + "team = excluded.team, region = excluded.region, supervisor_id = excluded.supervisor_id, "
                            + "active = excluded.active, version = excluded.version, changed_at = excluded.changed_at, "
                            + "changed_by = excluded.changed_by",
                    userId, after.name(), "{" + String.join(",", roles) + "}", after.team(), after.region(),
                    after.supervisorId(), after.active(), after.version(), Timestamp.from(now), by);
            return new Defined(after, before.isEmpty(), true);
        });
    }

    /**
     * Records that the user was given a new client secret (stored as an event without the secret) and keeps the
     * secret's hash for the token endpoint; an earlier secret of the client stops working.
     */
    public void issueCredentials(String userId, String clientId, String secretHash, String by) {
        change(() -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext('org_user:' || ?))", userId);
            User user = find(userId).orElseThrow(() -> new IllegalArgumentException("no user " + userId));
            Instant now = clock.instant();
            announce();
            ObjectNode after = JSON.createObjectNode().put("clientId", clientId);
            long version = user.version() + 1;
            jdbc.update("INSERT INTO org_user_event (user_id, version, type, at, changed_by, before, after) "
                    + "VALUES (?, ?, 'CredentialsIssued', ?, ?, NULL, ?::jsonb)", userId, version, Timestamp.from(now), by,
                    after.toString());
            jdbc.update("UPDATE org_user SET version = ?, changed_at = ?, changed_by = ? WHERE user_id = ?", version,
                    Timestamp.from(now), by, userId);
            jdbc.update("INSERT INTO org_credential (client_id, user_id, secret_hash, issued_at, issued_by) "
                            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET user_id = excluded.user_id, "
                            + "secret_hash = excluded.secret_hash, issued_at = excluded.issued_at, "
                            + "issued_by = excluded.issued_by",
                    clientId, userId, secretHash, Timestamp.from(now), by);
            return null;
        });
    }

    /** The client's secret hash and its user, if the client exists. */
    public Optional<Map.Entry<String, String>> credential(String clientId) {
        List<Map.Entry<String, String>> found = jdbc.query(
                "SELECT user_id, secret_hash FROM org_credential WHERE client_id = ?",
                (rs, n) -> Map.entry(rs.getString(1), rs.getString(2)), clientId);
        return found.stream().findFirst();
    }

    private static boolean isAdmin(User user) {
        return user.active() && user.roles().contains(Role.ADMIN.code());
    }

    private static boolean same(User a, User b) {
        return a.name().equals(b.name()) && a.roles().equals(b.roles()) && Objects.equals(a.team(), b.team())
                && Objects.equals(a.region(), b.region()) && Objects.equals(a.supervisorId(), b.supervisorId())
                && a.active() == b.active();
    }

    private static String json(User user) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", user.name());
        user.roles().forEach(node.putArray("roles")::add);
        node.put("team", user.team());
        node.put("region", user.region());
        node.put("supervisorId", user.supervisorId());
        node.put("active", user.active());
        return node.toString();
    }

    private static Object tree(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static User user(ResultSet rs, int n) throws SQLException {
        Array roles = rs.getArray("roles");
        List<String> codes = new ArrayList<>(Arrays.asList((String[]) roles.getArray()));
        return new User(rs.getString("user_id"), rs.getString("name"), codes, rs.getString("team"),
                rs.getString("region"), rs.getString("supervisor_id"), rs.getBoolean("active"), rs.getLong("version"),
                rs.getTimestamp("changed_at").toInstant(), rs.getString("changed_by"));
    }
}
