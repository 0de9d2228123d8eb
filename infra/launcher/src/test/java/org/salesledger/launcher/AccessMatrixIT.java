package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;

/**
 * Contract §7 against the real system: every endpoint, called by every role, answers what the role table says —
 * {@code 401} without a valid token, {@code 403} naming the permission when the role does not allow the call,
 * {@code 404} for a customer or a rep outside the caller's scope, and an answer otherwise. The expected statuses
 * below are written out by hand from the contract's table, not derived from the production code's permissions.
 *
 * <p>The organisation: region east — director {@code dir-east}, supervisor {@code sup-1} with reps {@code rep-1} and
 * {@code rep-3}; region west — director {@code dir-west}, supervisor {@code sup-2} with rep {@code rep-2}; and an
 * analyst, an auditor, an integrator and the admin. Customers {@code c-east-1} (owned by rep-1), {@code c-east-3}
 * (rep-3) and {@code c-west-2} (rep-2).
 */
class AccessMatrixIT {

    /** The callers, in the order of every row's expected statuses. */
    static final List<String> CALLERS = List.of("rep-1", "rep-2", "rep-3", "sup-1", "dir-east", "dir-west", "admin",
            "analyst", "auditor", "integrator");

    @TempDir
    static Path dataDir;

    static EmbeddedSystem system;
    static final Map<String, String> tokens = new LinkedHashMap<>();
    static final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        system = EmbeddedSystem.start(TestSystems.settings(dataDir));
        tokens.put("admin", TestSystems.signIn(system));
        user("dir-east", "director", "east", null);
        user("dir-west", "director", "west", null);
        user("sup-1", "supervisor", "east", null);
        user("sup-2", "supervisor", "west", null);
        user("rep-1", "rep", "east", "sup-1");
        user("rep-3", "rep", "east", "sup-1");
        user("rep-2", "rep", "west", "sup-2");
        user("analyst", "analyst", null, null);
        user("auditor", "auditor", null, null);
        user("integrator", "integrator", null, null);
        register("c-east-1", "east", "rep-1");
        register("c-east-3", "east", "rep-3");
        register("c-west-2", "west", "rep-2");
        for (String customer : List.of("c-east-1", "c-east-3", "c-west-2")) {
            TestHttp.eventually(query("/api/v1/customers/" + customer + "/timeline"), r -> r.status() == 200,
                    java.time.Duration.ofSeconds(30));
            TestHttp.eventually(query("/api/v1/customers/" + customer + "/stages"), r -> r.status() == 200,
                    java.time.Duration.ofSeconds(30));
        }
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    // ---- the matrix: one row per endpoint, statuses in the order of CALLERS ----
    //                                                       rep-1 rep-2 rep-3 sup-1 dirE  dirW  admin anal  audit integ

    @Test
    void theQuerySideAnswersEachRoleAsTheContractsTableSays() throws Exception {
        List<String> wrong = new ArrayList<>();
        row(wrong, "GET", query("/api/v1/customers/c-east-1/timeline"), null,
                200, 404, 404, 200, 200, 404, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/customers/c-east-1/stages"), null,
                200, 404, 404, 200, 200, 404, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/customers/c-east-1/state"), null,
                200, 404, 404, 200, 200, 404, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/customers/c-east-1/changes"), null,
                200, 404, 404, 200, 200, 404, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/customers/no-such-customer/state"), null,
                404, 404, 404, 404, 404, 404, 404, 403, 404, 403);
        row(wrong, "GET", query("/api/v1/customers/no-such-customer/timeline"), null,
                404, 404, 404, 404, 404, 404, 404, 403, 404, 403);
        row(wrong, "GET", query("/api/v1/stalled"), null,
                200, 200, 200, 200, 200, 200, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/idle"), null,
                200, 200, 200, 200, 200, 200, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/stalled/thresholds"), null,
                200, 200, 200, 200, 200, 200, 200, 200, 200, 200);
        row(wrong, "GET", query("/api/v1/me"), null,
                200, 200, 200, 200, 200, 200, 200, 200, 200, 200);
        row(wrong, "GET", query("/api/v1/funnel"), null,
                200, 200, 200, 200, 200, 200, 200, 200, 200, 403);
        row(wrong, "GET", query("/api/v1/attribution?model=linear"), null,
                200, 200, 200, 200, 200, 200, 200, 200, 200, 403);
        row(wrong, "GET", query("/api/v1/talk-tracks/effect"), null,
                200, 200, 200, 200, 200, 200, 200, 200, 200, 403);
        row(wrong, "GET", query("/api/v1/acquisition-cost"), null,
                403, 403, 403, 403, 403, 403, 200, 200, 200, 403);
        row(wrong, "GET", query("/api/v1/pool"), null,
                200, 200, 200, 200, 200, 200, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/escalations"), null,
                200, 200, 200, 200, 200, 200, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/reps/rep-1/todo"), null,
                200, 404, 404, 200, 200, 404, 200, 403, 200, 403);
        // health: the scope is over reps (rep-1: itself; sup-1: its reps; dir-east: the reps of east)
        row(wrong, "GET", query("/api/v1/reps/rep-1/health"), null,
                200, 404, 404, 200, 200, 404, 200, 200, 200, 403);
        row(wrong, "GET", query("/api/v1/reps/rep-1/health/evidence?metric=taskClosureRate"), null,
                200, 404, 404, 200, 200, 404, 200, 200, 200, 403);
        row(wrong, "GET", query("/api/v1/reps/rep-1/health/history?months=2"), null,
                200, 404, 404, 200, 200, 404, 200, 200, 200, 403);
        row(wrong, "GET", query("/api/v1/health?groupBy=team"), null,
                200, 200, 200, 200, 200, 200, 200, 200, 200, 403);
        row(wrong, "POST", query("/api/v1/health/incentive/dry-run"), "{\"plan\":{\"kind\":\"INCENTIVE\"}}",
                403, 403, 403, 403, 200, 200, 200, 200, 403, 403);
        row(wrong, "GET", query("/api/v1/admin/rebuilds"), null,
                403, 403, 403, 403, 403, 403, 200, 200, 200, 403);
        row(wrong, "GET", query("/api/v1/admin/dead-letters"), null,
                403, 403, 403, 403, 403, 403, 200, 200, 200, 403);
        row(wrong, "GET", query("/api/v1/audit/key"), null,
                403, 403, 403, 403, 403, 403, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/admin/audit/verify"), null,
                403, 403, 403, 403, 403, 403, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/customers/c-east-1/export"), null,
                403, 403, 403, 403, 403, 403, 200, 403, 200, 403);
        row(wrong, "GET", query("/api/v1/customers/no-such-customer/export"), null,
                403, 403, 403, 403, 403, 403, 404, 403, 404, 403);
        TestHttp.eventually(query("/api/v1/audit/proof/r-c-east-1"), r -> r.status() == 200,
                java.time.Duration.ofSeconds(30));
        row(wrong, "GET", query("/api/v1/audit/proof/r-c-east-1"), null,
                403, 403, 403, 403, 403, 403, 200, 403, 200, 403);
        row(wrong, "POST", query("/api/v1/admin/dead-letters/timeline/retry"), "",
                403, 403, 403, 403, 403, 403, 200, 403, 403, 403);
        row(wrong, "POST", query("/api/v1/admin/rebuilds/no-such-read-model"), "",
                403, 403, 403, 403, 403, 403, 404, 404, 403, 403);
        row(wrong, "POST", query("/api/v1/admin/consistency?limit=-1"), "",
                403, 403, 403, 403, 403, 403, 400, 400, 400, 403);
        row(wrong, "GET", query("/actuator/prometheus"), null,
                403, 403, 403, 403, 403, 403, 200, 200, 200, 403);
        row(wrong, "GET", query("/api/v1/no-such-endpoint"), null,
                404, 404, 404, 404, 404, 404, 404, 404, 404, 404);
        assertThat(wrong).isEmpty();
    }

    /**
     * Issue 19's reads of one customer follow the timeline's scope: rep-3, in rep-1's team, learns nothing of rep-1's
     * customer from its state or changes (404, worded as for a customer that does not exist, as its timeline is), and
     * neither rep may export it or ask for an action's proof (403: {@code audit:read} is the auditor's and the
     * admin's), while its owner reads its state.
     */
    @Test
    void aRepCannotReadTheStateOrExportOfAColleaguesCustomer() throws Exception {
        TestHttp.eventually(query("/api/v1/audit/proof/r-c-east-1"), r -> r.status() == 200,
                java.time.Duration.ofSeconds(30));
        String rep3 = tokens.get("rep-3");
        for (String read : List.of("timeline", "state", "changes")) {
            Response colleagues = TestHttp.sendAs(rep3, "GET", query("/api/v1/customers/c-east-1/" + read), null);
            Response unknown = TestHttp.sendAs(rep3, "GET", query("/api/v1/customers/c-nobody/" + read), null);
            assertThat(colleagues.status()).as(read + ": " + colleagues).isEqualTo(404);
            assertThat(colleagues.body().replace("c-east-1", "c-nobody")).as(read).isEqualTo(unknown.body());
            assertThat(TestHttp.sendAs(tokens.get("rep-1"), "GET", query("/api/v1/customers/c-east-1/" + read), null)
                    .status()).as("its owner's " + read).isEqualTo(200);
        }
        for (String rep : List.of("rep-3", "rep-1")) {
            Response export = TestHttp.sendAs(tokens.get(rep), "GET", query("/api/v1/customers/c-east-1/export"), null);
            assertThat(export.status()).as(rep + " export: " + export).isEqualTo(403);
            assertThat(export.body()).as(rep).contains("audit:read").doesNotContain("envelope");
            Response proof = TestHttp.sendAs(tokens.get(rep), "GET", query("/api/v1/audit/proof/r-c-east-1"), null);
            assertThat(proof.status()).as(rep + " proof: " + proof).isEqualTo(403);
        }
        Response auditors = TestHttp.sendAs(tokens.get("auditor"), "GET", query("/api/v1/customers/c-east-1/export"),
                null);
        assertThat(auditors.status()).as(auditors.toString()).isEqualTo(200);
        assertThat(auditors.body()).contains("\"id\":\"r-c-east-1\"");
    }

    @Test
    void theCommandSideAnswersEachRoleAsTheContractsTableSays() throws Exception {
        List<String> wrong = new ArrayList<>();
        row(wrong, "GET", command("/api/v1/schemas"), null,
                200, 200, 200, 200, 200, 200, 200, 200, 200, 200);
        row(wrong, "GET", command("/api/v1/rules"), null,
                200, 200, 200, 200, 200, 200, 200, 200, 200, 200);
        row(wrong, "GET", command("/api/v1/talk-tracks"), null,
                200, 200, 200, 200, 200, 200, 200, 200, 200, 200);
        row(wrong, "PUT", command("/api/v1/rules/matrix-tag"),
                "{\"kind\": \"TAG\", \"tag\": \"matrix\", \"when\": \"customer.region == 'north'\"}",
                403, 403, 403, 403, 200, 200, 200, 403, 403, 403);
        row(wrong, "DELETE", command("/api/v1/rules/no-such-rule"), null,
                403, 403, 403, 403, 404, 404, 404, 403, 403, 403);
        row(wrong, "POST", command("/api/v1/rules/dry-run"),
                "{\"kind\": \"TAG\", \"tag\": \"x\", \"when\": \"customer.region == 'east'\"}",
                403, 403, 403, 403, 200, 200, 200, 200, 403, 403);
        row(wrong, "POST", command("/api/v1/talk-tracks"), "{\"title\":\"t\",\"text\":\"x\"}",
                403, 403, 403, 403, 400, 400, 400, 403, 403, 403);
        // c-east-1 is owned by rep-1, not in the pool: those who may see it are told so (409), others 404
        row(wrong, "POST", command("/api/v1/pool/c-east-1/claim"), "",
                409, 404, 409, 409, 409, 404, 409, 403, 403, 403);
        // given to its owner again: unchanged (409) for those who may reassign it, 404 outside, 403 without the right
        row(wrong, "POST", command("/api/v1/customers/c-east-1/reassign"), "{\"toRepId\":\"rep-1\"}",
                403, 403, 403, 409, 409, 404, 409, 403, 403, 403);
        row(wrong, "POST", command("/api/v1/admin/kafka-replays"), "{\"topic\":\"bad topic!\"}",
                403, 403, 403, 403, 403, 403, 400, 403, 403, 400);
        row(wrong, "GET", command("/api/v1/admin/kafka-replays"), null,
                403, 403, 403, 403, 403, 403, 200, 403, 200, 200);
        row(wrong, "GET", command("/api/v1/admin/kafka-relay"), null,
                403, 403, 403, 403, 403, 403, 200, 403, 200, 200);
        row(wrong, "GET", command("/api/v1/admin/users"), null,
                403, 403, 403, 403, 403, 403, 200, 403, 200, 403);
        row(wrong, "PUT", command("/api/v1/admin/users/spare"), "{\"name\":\"Spare\",\"roles\":[\"rep\"]}",
                403, 403, 403, 403, 403, 403, 200, 403, 403, 403);
        row(wrong, "POST", command("/api/v1/admin/users/spare/credentials"), "",
                403, 403, 403, 403, 403, 403, 201, 403, 403, 403);
        row(wrong, "GET", command("/actuator/prometheus"), null,
                403, 403, 403, 403, 403, 403, 200, 200, 200, 403);
        assertThat(wrong).isEmpty();
    }

    @Test
    void actionsAreAcceptedOnlyWithinTheSendersScopeAndAsItself() throws Exception {
        List<String> wrong = new ArrayList<>();
        // a visit on c-east-1 with no actor: the caller is the actor (admin and integrator must name one)
        Map<String, Integer> expected = expected(202, 404, 404, 202, 202, 404, 400, 403, 403, 400);
        for (String caller : CALLERS) {
            Response answer = TestHttp.sendAs(tokens.get(caller), "POST", command("/api/v1/actions"),
                    visit("c-east-1", null));
            check(wrong, caller, "POST /api/v1/actions (no actor)", answer, expected.get(caller));
        }
        // naming another actor: only admins and integrators may
        expected = expected(403, 403, 403, 403, 403, 403, 202, 403, 403, 202);
        for (String caller : CALLERS) {
            Response answer = TestHttp.sendAs(tokens.get(caller), "POST", command("/api/v1/actions"),
                    visit("c-east-1", "rep-1".equals(caller) ? "rep-3" : "rep-1"));
            check(wrong, caller, "POST /api/v1/actions (actor someone else)", answer, expected.get(caller));
        }
        // registering: a rep only customers it will own; a director only in its region
        expected = expected(202, 403, 403, 202, 202, 403, 202, 403, 403, 202);
        for (String caller : CALLERS) {
            String id = "new-" + caller;
            String actor = caller.equals("admin") || caller.equals("integrator") ? "rep-1" : null;
            Response answer = TestHttp.sendAs(tokens.get(caller), "POST", command("/api/v1/actions"),
                    envelope("r-" + id, "CustomerRegistered", id, actor,
                            "{\"name\":\"N\",\"region\":\"east\",\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}"));
            check(wrong, caller, "POST /api/v1/actions (register for rep-1 in east)", answer, expected.get(caller));
        }
        // an import line outside the scope is refused on its line; the import itself answers 200
        Response imported = TestHttp.sendAs(tokens.get("rep-2"), "POST", command("/api/v1/import"),
                visit("c-east-1", null) + "\n" + visit("c-west-2", null) + "\n");
        assertThat(imported.status()).isEqualTo(200);
        assertThat(imported.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(imported.json().get("rejected").asInt()).isEqualTo(1);
        assertThat(imported.json().get("errors").get(0).get("field").asText()).isEqualTo("subject");
        assertThat(TestHttp.sendAs(tokens.get("analyst"), "POST", command("/api/v1/import"), "").status())
                .isEqualTo(403);
        assertThat(wrong).isEmpty();
    }

    @Test
    void withoutAValidTokenEveryApiCallIs401AndHealthStaysOpen() throws Exception {
        List<URI> endpoints = List.of(query("/api/v1/customers/c-east-1/timeline"), query("/api/v1/funnel"),
                query("/api/v1/admin/rebuilds"), query("/actuator/prometheus"), command("/api/v1/rules"),
                command("/api/v1/admin/users"), command("/actuator/prometheus"));
        for (URI endpoint : endpoints) {
            Response none = TestHttp.sendAs(null, "GET", endpoint, null);
            Response garbage = TestHttp.sendAs("not-a-jwt", "GET", endpoint, null);
            assertThat(none.status()).as("no token: GET " + endpoint).isEqualTo(401);
            assertThat(none.json().get("errors").get(0).get("field").asText()).isEqualTo("Authorization");
            assertThat(garbage.status()).as("bad token: GET " + endpoint).isEqualTo(401);
        }
        assertThat(TestHttp.sendAs(null, "POST", command("/api/v1/actions"), visit("c-east-1", "rep-1")).status())
                .isEqualTo(401);
        assertThat(TestHttp.sendAs(null, "GET", query("/actuator/health"), null).status()).isEqualTo(200);
        assertThat(TestHttp.sendAs(null, "GET", command("/actuator/health"), null).status()).isEqualTo(200);
        // a probe holding an expired or foreign token still learns whether the side is up
        assertThat(TestHttp.sendAs("not-a-jwt", "GET", query("/actuator/health"), null).status()).isEqualTo(200);
        assertThat(TestHttp.sendAs("not-a-jwt", "GET", command("/actuator/health/kafka"), null).status())
                .isIn(200, 503);
    }

    @Test
    void aForbiddenCallNamesThePermissionItLacks() throws Exception {
        Response answer = TestHttp.sendAs(tokens.get("rep-1"), "PUT", command("/api/v1/rules/r-x"),
                "{\"kind\": \"TAG\", \"tag\": \"t\", \"when\": \"true\"}");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().get("permission").asText()).isEqualTo("rules:write");
        assertThat(answer.json().get("message").asText()).contains("rules:write").contains("rep-1");
    }

    @Test
    void aDeactivatedUsersTokenStopsWorkingAtOnce() throws Exception {
        String token = user("leaver", "rep", "east", null);
        assertThat(TestHttp.get(query("/api/v1/funnel"), token).status()).isEqualTo(200);

        Response deactivated = TestHttp.sendAs(tokens.get("admin"), "PUT", command("/api/v1/admin/users/leaver"),
                "{\"name\":\"leaver\",\"roles\":[\"rep\"],\"region\":\"east\",\"active\":false}");

        assertThat(deactivated.status()).isEqualTo(200);
        assertThat(TestHttp.get(query("/api/v1/funnel"), token).status()).isEqualTo(401);
        assertThat(TestHttp.get(command("/api/v1/rules"), token).status()).isEqualTo(401);
    }

    @Test
    void theLastActiveAdminCanNeitherBeDeactivatedNorLoseTheRole() throws Exception {
        String admin = tokens.get("admin");
        Response demoted = TestHttp.sendAs(admin, "PUT", command("/api/v1/admin/users/admin"),
                "{\"name\":\"admin\",\"roles\":[\"rep\"],\"region\":\"east\"}");
        Response deactivated = TestHttp.sendAs(admin, "PUT", command("/api/v1/admin/users/admin"),
                "{\"name\":\"admin\",\"roles\":[\"admin\"],\"active\":false}");

        assertThat(demoted.status()).isEqualTo(409);
        assertThat(demoted.json().get("errors").get(0).get("field").asText()).isEqualTo("roles");
        assertThat(deactivated.status()).isEqualTo(409);
        assertThat(deactivated.json().get("errors").get(0).get("field").asText()).isEqualTo("active");
        assertThat(deactivated.json().get("errors").get(0).get("message").asText()).contains("last active admin");
        assertThat(TestHttp.get(command("/api/v1/admin/users"), admin).status()).isEqualTo(200);

        // with a second admin, either may go
        user("admin-2", "admin", null, null);
        Response second = TestHttp.sendAs(admin, "PUT", command("/api/v1/admin/users/admin-2"),
                "{\"name\":\"admin-2\",\"roles\":[\"admin\"],\"active\":false}");
        assertThat(second.status()).isEqualTo(200);
    }

    @Test
    void aWrongClientSecretGetsNoToken() throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString(
                "admin:wrong".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Response refused = TestHttp.post(command("/oauth2/token"), "grant_type=client_credentials",
                "Authorization", "Basic " + basic, "Content-Type", "application/x-www-form-urlencoded");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).doesNotContain("access_token");
    }

    @Test
    void scopedFunnelsCountOnlyTheCallersCustomers() throws Exception {
        // every registration in the test's organisation: the three customers of start(), plus one per caller of the
        // registration row that was allowed, all in east for rep-1 — counted by hand per caller
        TestHttp.eventually(query("/api/v1/customers/c-west-2/timeline"), r -> r.status() == 200,
                java.time.Duration.ofSeconds(30));
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("rep-2", 1);        // c-west-2
        expected.put("dir-west", 1);     // c-west-2
        expected.put("rep-3", 1);        // c-east-3
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            Response funnel = TestHttp.get(query("/api/v1/funnel"), tokens.get(e.getKey()));
            assertThat(funnel.status()).isEqualTo(200);
            assertThat(funnel.json().get("stages").get(0).get("reached").asInt()).as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void theCliAddsAUserPrintsItsCredentialsOnceAndGetsTokens() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = SalesLedger.execute(new String[] {"users", "add", "cli-rep", "--role", "rep", "--region", "east",
                        "--supervisor", "sup-1", "--url", command("").toString()},
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), System.in, Map.of());
        String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(err.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
        String secret = printed.lines().filter(l -> l.startsWith("clientSecret")).findFirst().orElseThrow()
                .split("\\s+")[1];
        String tokenUrl = printed.lines().filter(l -> l.startsWith("tokenUrl")).findFirst().orElseThrow()
                .split("\\s+")[1];

        String token = TestHttp.token(tokenUrl, "cli-rep", secret);
        Response users = TestHttp.get(command("/api/v1/admin/users/cli-rep"), tokens.get("admin"));
        assertThat(users.json().get("roles").get(0).asText()).isEqualTo("rep");
        assertThat(users.json().get("supervisorId").asText()).isEqualTo("sup-1");
        assertThat(TestHttp.get(query("/api/v1/funnel"), token).status()).isEqualTo(200);
        assertThat(TestHttp.sendAs(token, "PUT", command("/api/v1/rules/r-cli"),
                "{\"kind\": \"TAG\", \"tag\": \"t\", \"when\": \"true\"}").status()).isEqualTo(403);

        org.salesledger.launcher.cli.CliCredentials.use("cli-rep", secret, tokenUrl);
        java.io.ByteArrayOutputStream printedToken = new java.io.ByteArrayOutputStream();
        try {
            assertThat(org.salesledger.launcher.cli.UsersCommand.token(command(""),
                    new java.io.PrintStream(printedToken, true, java.nio.charset.StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8))).isZero();
        } finally {
            org.salesledger.launcher.cli.CliCredentials.useToken(tokens.get("admin"));
        }
        String cliToken = printedToken.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(TestHttp.get(query("/api/v1/funnel"), cliToken).status()).isEqualTo(200);
        assertThat(TestHttp.get(command("/api/v1/admin/users"), cliToken).status()).isEqualTo(403);

        org.salesledger.launcher.cli.CliCredentials.use("cli-rep", "wrong-secret", tokenUrl);
        try {
            int refused = org.salesledger.launcher.cli.UsersCommand.token(command(""),
                    new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                    new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(refused).isEqualTo(1);
            assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("refused client 'cli-rep'");
        } finally {
            org.salesledger.launcher.cli.CliCredentials.useToken(tokens.get("admin"));
        }
    }

    // ---- helpers ----

    private static void row(List<String> wrong, String method, URI uri, String body, int... statuses)
            throws Exception {
        assertThat(statuses).hasSameSizeAs(CALLERS);
        for (int i = 0; i < CALLERS.size(); i++) {
            String caller = CALLERS.get(i);
            Response answer = TestHttp.sendAs(tokens.get(caller), method, uri, body);
            check(wrong, caller, method + " " + uri.getPath() + (uri.getQuery() == null ? "" : "?" + uri.getQuery()),
                    answer, statuses[i]);
        }
    }

    private static void check(List<String> wrong, String caller, String call, Response answer, int expected) {
        if (answer.status() != expected) {
            wrong.add(caller + ": " + call + " answered " + answer + ", expected " + expected);
        } else if (expected == 403 && answer.body().contains("\"permission\"") && !answer.body().contains(":")) {
            wrong.add(caller + ": " + call + " 403 without the permission's name");
        }
    }

    private static Map<String, Integer> expected(int... statuses) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < CALLERS.size(); i++) {
            map.put(CALLERS.get(i), statuses[i]);
        }
        return map;
    }

    private static String user(String id, String role, String region, String supervisor) {
        String token = TestHttp.userToken(system.commandPort(), id, "{\"name\":\"" + id + "\",\"roles\":[\"" + role
                + "\"]" + (region == null ? "" : ",\"region\":\"" + region + "\"")
                + (supervisor == null ? "" : ",\"supervisorId\":\"" + supervisor + "\"") + "}");
        tokens.put(id, token);
        return token;
    }

    private static void register(String customer, String region, String owner) throws Exception {
        Response answer = TestHttp.post(command("/api/v1/actions"), envelope("r-" + customer, "CustomerRegistered",
                customer, owner, "{\"name\":\"" + customer + "\",\"region\":\"" + region + "\",\"ownerRepId\":\""
                        + owner + "\",\"channel\":\"web\"}"), "Content-Type", "application/json");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    }

    private static String visit(String customer, String actor) {
        return envelope("v-" + ids.incrementAndGet(), "VisitLogged", customer, actor,
                "{\"contactRole\":\"buyer\",\"location\":{\"lat\":31.2,\"lon\":121.5}}");
    }

    private static String envelope(String id, String type, String customer, String actor, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/matrix\",\"type\":\"" + type
                + "\",\"subject\":\"" + customer + "\",\"time\":\"2025-03-01T09:30:00+08:00\""
                + (actor == null ? "" : ",\"actor\":\"" + actor + "\"") + ",\"data\":" + data + "}";
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }
}
