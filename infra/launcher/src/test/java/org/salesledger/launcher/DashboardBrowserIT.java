package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.salesledger.launcher.cli.DemoCommand;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestPostgres;

/**
 * Issue 21: the dashboard in a real browser (Debian's chromium, headless, through chromedriver), over a whole system
 * filled by {@code salesledger demo} (a small data set) and three customers of the test's own. People sign in through
 * the real login form (authorization code with PKCE); each view's numbers must equal the API's answers for that
 * user's token; a rep sees none of a colleague's customers; a stalled customer's link reaches its actions; every
 * control is labelled and reachable by keyboard, a snooze from the list reaches the command side as the rep, text has contrast; screenshots of each view go to
 * {@code target/screenshots/}.
 *
 * <p>The test's customers: {@code dash-a1} (rep-east-1-1, registered ten days ago, a price objection nine days ago:
 * idle and with a recent refusal), {@code dash-a2} (rep-east-1-1, registered three days ago, a visit today) and
 * {@code dash-b1} (rep-east-1-2, the colleague's).
 */
class DashboardBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUPERVISOR = "sup-east-1";
    private static final String REP = "rep-east-1-1";
    private static final String COLLEAGUE = "rep-east-1-2";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dataDir;

    static TestPostgres.TestDatabase db;
    static EmbeddedSystem system;
    static WebDriver browser;
    static Map<String, String> secrets = new LinkedHashMap<>();
    static String demoOutput;

    @BeforeAll
    static void start() throws Exception {
        db = TestPostgres.newDatabase();
        system = EmbeddedSystem.start(TestSystems.settings(db, dataDir));
        TestSystems.signIn(system);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DemoCommand.run(command(""), query(""), DemoCommand.options(120, 21, LocalDate.now(ZoneOffset.UTC)),
                dataDir, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        demoOutput = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(demoOutput + err).isZero();
        JsonNode logins = JSON.readTree(dataDir.resolve("demo-logins.json").toFile());
        logins.fields().forEachRemaining(e -> secrets.put(e.getKey(), e.getValue().asText()));

        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        post("dash-a1-reg", "CustomerRegistered", "dash-a1", now.minusDays(10), REP,
                "{\"name\":\"Alpha Clinic\",\"region\":\"east\",\"team\":\"east-t1\",\"ownerRepId\":\"" + REP
                        + "\",\"channel\":\"exhibition\"}");
        post("dash-a1-obj", "ObjectionRaised", "dash-a1", now.minusDays(9), REP,
                "{\"objectionType\":\"PRICE\",\"detail\":\"too expensive for the ultrasound line\"}");
        post("dash-a2-reg", "CustomerRegistered", "dash-a2", now.minusDays(3), REP,
                "{\"name\":\"Beta Hospital\",\"region\":\"east\",\"team\":\"east-t1\",\"ownerRepId\":\"" + REP
                        + "\",\"channel\":\"referral\"}");
        post("dash-a2-visit", "VisitLogged", "dash-a2", now.minusMinutes(5), REP,
                "{\"location\":{\"lat\":31.23,\"lon\":121.47},\"contactRole\":\"director\",\"notes\":\"demo\"}");
        post("dash-b1-reg", "CustomerRegistered", "dash-b1", now.minusDays(10), COLLEAGUE,
                "{\"name\":\"Gamma Lab\",\"region\":\"east\",\"team\":\"east-t1\",\"ownerRepId\":\"" + COLLEAGUE
                        + "\",\"channel\":\"web\"}");
        // every read model has applied everything stored
        TestHttp.eventually(query("/actuator/prometheus"), r -> r.status() == 200
                && r.body().lines().filter(l -> l.startsWith("salesledger_projection_lag_events"))
                .allMatch(l -> l.endsWith(" 0.0")) && r.body().contains("salesledger_projection_lag_events"),
                Duration.ofMinutes(3));
        TestHttp.eventually(query("/api/v1/customers/dash-a2/timeline"), r -> r.status() == 200
                && r.body().contains("dash-a2-visit"), Duration.ofMinutes(1));

        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void demoPrintsTheDashboardAndALoginForEveryRoleAndASecondRunKeepsThem() throws Exception {
        assertThat(demoOutput).contains("Dashboard: http://127.0.0.1:" + system.queryPort() + "/");
        assertThat(secrets.keySet()).containsExactly("dir-east", SUPERVISOR, "rep-east-1-1", "rep-east-1-2",
                "rep-east-1-3", "rep-east-1-4", "rep-east-1-5", "rep-east-1-6", "rep-east-1-7", "rep-east-1-8",
                "rep-east-1-9", "rep-east-1-10", "analyst-1", "auditor-1");
        secrets.forEach((id, secret) -> assertThat(demoOutput).contains(id).contains(secret));

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        int exit = DemoCommand.run(command(""), query(""), DemoCommand.options(120, 21, LocalDate.now(ZoneOffset.UTC)),
                dataDir, new PrintStream(again, true, StandardCharsets.UTF_8), System.err);

        assertThat(exit).isZero();
        assertThat(again.toString(StandardCharsets.UTF_8)).contains("already loaded")
                .contains("user " + SUPERVISOR + ": exists, its secret kept");
        assertThat(JSON.readTree(dataDir.resolve("demo-logins.json").toFile()).path(REP).asText())
                .isEqualTo(secrets.get(REP));
    }

    @Test
    void aSupervisorSeesItsTeamsNumbersOnEveryView() throws Exception {
        String token = token(SUPERVISOR);
        signIn(SUPERVISOR);

        show("funnel");
        assertFunnelEqualsApi(token, "");
        assertAccessible("funnel");
        screenshot("supervisor-funnel");
        new Select(browser.findElement(By.id("f-groupBy"))).selectByValue("rep");
        browser.findElement(By.id("funnel-apply")).click();
        waitLoaded();
        JsonNode breakdown = api(token, "/api/v1/funnel?groupBy=rep");
        List<String> keys = new ArrayList<>();
        breakdown.path("groups").forEach(g -> keys.add(g.path("key").asText()));
        assertThat(texts("#breakdown-table tbody tr", "data-key")).containsExactlyElementsOf(keys);
        for (JsonNode group : breakdown.path("groups")) {
            for (JsonNode stage : group.path("funnel").path("stages")) {
                if (!stage.path("stage").asText().equals("LOST")) {
                    assertThat(cell("#breakdown-table tr[data-key='" + group.path("key").asText() + "'] td[data-col='"
                            + stage.path("stage").asText() + "']")).isEqualTo(stage.path("reached").asText());
                }
            }
        }
        assertThat(keys).as("a supervisor's breakdown holds its reps only").allMatch(k -> k.startsWith("rep-east-1-"));
        screenshot("supervisor-funnel-by-rep");

        // a funnel stage is one click from its stalled customers
        show("funnel");
        js("document.getElementById('main').dataset.loaded = '';");
        browser.findElement(By.cssSelector("#funnel-table [data-stage-link='FIRST_CONTACT']")).click();
        waitLoaded();
        assertThat(texts("#stalled-table tbody tr", "data-customer"))
                .containsExactlyElementsOf(ids(api(token, "/api/v1/stalled?stage=FIRST_CONTACT").path("customers")));
        assertThat(texts("#stalled-table tbody td[data-col='stage']", null)).allMatch("首次接触"::equals);

        show("lists");
        assertListsEqualApi(token);
        assertAccessible("lists");
        screenshot("supervisor-stalled-idle");

        // drill-through: a stalled (or idle) customer's link reaches its action chain
        List<WebElement> links = browser.findElements(By.cssSelector("#stalled-table [data-customer-link], "
                + "#idle-table [data-customer-link]"));
        assertThat(links).isNotEmpty();
        String customer = links.get(0).getAttribute("data-customer-link");
        js("document.getElementById('main').dataset.loaded = '';");
        links.get(0).click();
        waitLoaded();
        assertCustomerPageEqualsApi(token, customer);
        screenshot("supervisor-customer");

        show("attribution");
        js("document.getElementById('main').dataset.loaded = '';");
        new Select(browser.findElement(By.id("a-model"))).selectByValue("first_touch");
        waitLoaded();
        assertAttributionEqualsApi(token, "first_touch");
        assertAccessible("attribution");
        screenshot("supervisor-attribution");

        show("today");
        new Select(browser.findElement(By.id("t-rep"))).selectByValue(REP);
        browser.findElement(By.cssSelector("#today-form button")).click();
        waitLoaded();
        assertTodayEqualsApi(token, REP);
        screenshot("supervisor-today");

        show("health");
        assertHealthEqualsApi(token);
        assertAccessible("health");
        screenshot("supervisor-health");

        assertThat(browser.findElement(By.cssSelector("#nav a[data-view='cost']")).isDisplayed())
                .as("acquisition cost is over every customer: not a supervisor's view").isFalse();

        js("document.getElementById('main').dataset.loaded = '';");
        browser.findElement(By.id("lang")).click();
        waitLoaded();
        show("funnel");
        assertThat(browser.findElement(By.cssSelector("main h1")).getText()).isEqualTo("Sales funnel");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        js("document.getElementById('main').dataset.loaded = '';");
        browser.findElement(By.id("lang")).click();
        waitLoaded();

        browser.manage().window().setSize(new Dimension(390, 844));
        show("funnel");
        assertThat((Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no sideways scrolling of the page on a phone's width").isTrue();
        screenshot("supervisor-funnel-phone");
        browser.manage().window().setSize(new Dimension(1280, 1000));
        signOut();
    }

    @Test
    void aRepSeesOnlyItsOwnCustomers() throws Exception {
        String token = token(REP);
        signIn(REP);

        show("funnel");
        assertFunnelEqualsApi(token, "");
        screenshot("rep-funnel");

        show("lists");
        assertListsEqualApi(token);
        assertThat(texts("#stalled-table tbody td[data-col='owner'], #idle-table tbody td[data-col='owner']", null))
                .isNotEmpty().containsOnly(REP);
        assertThat(texts("#idle-table tbody tr", "data-customer")).contains("dash-a1").doesNotContain("dash-b1");
        screenshot("rep-stalled-idle");

        show("customer/dash-b1");
        assertThat(browser.findElements(By.id("customer-not-found"))).as("the colleague's customer").hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#timeline-table tbody tr"))).isEmpty();

        show("customer/dash-a1");
        assertCustomerPageEqualsApi(token, "dash-a1");
        assertThat(browser.findElement(By.id("fact-refusal")).getText()).contains("ObjectionRaised")
                .contains("too expensive");
        assertThat(browser.findElement(By.id("fact-stage")).getText()).contains("FIRST_CONTACT");
        screenshot("rep-customer");

        show("customer/dash-a2");
        assertThat(browser.findElement(By.id("fact-today")).getText()).contains("VisitLogged");
        assertThat(browser.findElement(By.id("fact-last-contact")).getText()).contains("VisitLogged");

        show("today");
        assertTodayEqualsApi(token, REP);
        assertThat(texts("#today-idle-table tbody tr", "data-customer")).contains("dash-a1")
                .doesNotContain("dash-b1");
        screenshot("rep-today");

        show("attribution");
        assertAttributionEqualsApi(token, "linear");

        // snooze from the idle list: a CustomerSnoozed sent to the command side as the rep, and the customer leaves it
        show("lists");
        browser.findElement(By.cssSelector("#idle-table tr[data-customer='dash-a1'] [data-snooze]")).click();
        String until = LocalDate.now(ZoneOffset.UTC).plusDays(14).toString();
        js("document.getElementById('snooze-until').value = arguments[0];", until);
        browser.findElement(By.id("snooze-reason")).sendKeys("on holiday");
        browser.findElement(By.cssSelector("#snooze-form button[type='submit']")).click();
        TestHttp.Response snoozed = TestHttp.eventually(query("/api/v1/customers/dash-a1/timeline"),
                r -> r.body().contains("CustomerSnoozed"), Duration.ofSeconds(30));
        JsonNode last = snoozed.json().path("events").get(snoozed.json().path("events").size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("CustomerSnoozed");
        assertThat(last.path("actor").asText()).isEqualTo(REP);
        assertThat(last.path("recordedBy").asText()).isEqualTo(REP);
        assertThat(last.path("data").path("until").asText()).isEqualTo(until);
        TestHttp.eventually(query("/api/v1/idle?days=7&rep=" + REP), r -> !r.body().contains("dash-a1"),
                Duration.ofSeconds(30));
        show("lists");
        assertThat(texts("#idle-table tbody tr", "data-customer")).doesNotContain("dash-a1");
        assertListsEqualApi(token);
        signOut();
    }

    @Test
    void anAnalystSeesAcquisitionCostAsTheApiAnswersIt() throws Exception {
        String token = token("analyst-1");
        signIn("analyst-1");
        show("cost");
        JsonNode answer = api(token, "/api/v1/acquisition-cost?model=linear&period=month");
        List<String> expected = new ArrayList<>();
        for (JsonNode channel : answer.path("channels")) {
            for (JsonNode currency : channel.path("currencies")) {
                String row = "#cost-table tr[data-channel='" + channel.path("channel").asText() + "'][data-period='"
                        + channel.path("start").asText().substring(0, 10) + "'][data-currency='"
                        + currency.path("currency").asText() + "'] ";
                assertThat(cell(row + "td[data-col='cost']")).isEqualTo(decimal(currency.path("cost")));
                assertThat(cell(row + "td[data-col='customersWon']")).isEqualTo(channel.path("customersWon").asText());
                assertThat(cell(row + "td[data-col='cac']")).isEqualTo(decimal(currency.path("cac")));
                assertThat(cell(row + "td[data-col='attributedRevenue']"))
                        .isEqualTo(decimal(currency.path("attributedRevenue")));
                assertThat(cell(row + "td[data-col='roi']")).isEqualTo(decimal(currency.path("roi")));
                expected.add(channel.path("channel").asText());
            }
        }
        assertThat(texts("#cost-table tbody tr", "data-channel")).containsExactlyElementsOf(expected);
        assertAccessible("cost");
        screenshot("analyst-cost");
        assertThat(browser.findElement(By.cssSelector("#nav a[data-view='customer']")).isDisplayed())
                .as("an analyst sees no single customer").isFalse();
        signOut();
    }

    @Test
    void aDeactivatedUserOrAWrongSecretCannotSignIn() throws Exception {
        forgetToken();
        browser.get(query("/").toString());
        waitFor(d -> d.getCurrentUrl().contains("/login"));
        login(REP, "not-the-secret");
        waitFor(d -> d.getCurrentUrl().contains("/login?error"));
        assertThat(browser.findElement(By.id("login-error")).getText()).contains("Wrong user id or secret");

        assertThat(TestHttp.send("PUT", command("/api/v1/admin/users/rep-east-1-6"), "{\"name\":\"Rep 6\","
                + "\"roles\":[\"rep\"],\"region\":\"east\",\"team\":\"east-t1\",\"supervisorId\":\"" + SUPERVISOR
                + "\",\"active\":false}", "Content-Type", "application/json").status()).isEqualTo(200);
        browser.get(query("/").toString());
        waitFor(d -> d.getCurrentUrl().contains("/login"));
        login("rep-east-1-6", secrets.get("rep-east-1-6"));
        waitFor(d -> d.getCurrentUrl().contains("/login?error"));
        assertThat(browser.findElements(By.id("login-error"))).hasSize(1);
    }

    // ---------- what each view must show ----------

    private static void assertFunnelEqualsApi(String token, String filter) throws Exception {
        JsonNode funnel = api(token, "/api/v1/funnel" + filter);
        List<JsonNode> stages = new ArrayList<>();
        funnel.path("stages").forEach(s -> {
            if (!s.path("stage").asText().equals("LOST")) {
                stages.add(s);
            }
        });
        assertThat(texts("#funnel-table tbody tr", "data-stage"))
                .containsExactlyElementsOf(stages.stream().map(s -> s.path("stage").asText()).toList());
        long first = stages.get(0).path("reached").asLong();
        for (int i = 0; i < stages.size(); i++) {
            JsonNode s = stages.get(i);
            String row = "#funnel-table tr[data-stage='" + s.path("stage").asText() + "'] ";
            long reached = s.path("reached").asLong();
            assertThat(cell(row + "td[data-col='reached']")).isEqualTo(String.valueOf(reached));
            assertThat(cell(row + "td[data-col='current']")).isEqualTo(s.path("current").asText());
            assertThat(cell(row + "td[data-col='pctFirst']")).isEqualTo(percent(reached, first));
            assertThat(cell(row + "td[data-col='pctPrev']")).isEqualTo(i == 0 ? "100.0"
                    : percent(reached, stages.get(i - 1).path("reached").asLong()));
            JsonNode avg = s.path("avgDaysInStage");
            assertThat(cell(row + "td[data-col='avgDays']")).isEqualTo(avg.isMissingNode() || avg.isNull() ? "—"
                    : new BigDecimal(avg.asText()).setScale(1, RoundingMode.HALF_UP).toPlainString());
        }
        assertThat(cell("#funnel-won")).isEqualTo(funnel.path("won").asText());
        assertThat(cell("#funnel-lost")).isEqualTo(funnel.path("lost").asText());
    }

    /** The API's decimal as the page shows it: to two decimals, half up, from its exact text; "—" for none. */
    private static String decimal(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "—"
                : new BigDecimal(value.asText()).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** An independent percentage: the exact binary quotient, to one decimal (as JavaScript's toFixed rounds it). */
    private static String percent(long part, long whole) {
        return whole == 0 ? "—" : new BigDecimal(100.0 * part / whole).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    private static void assertListsEqualApi(String token) throws Exception {
        assertThat(texts("#stalled-table tbody tr", "data-customer"))
                .containsExactlyElementsOf(ids(api(token, "/api/v1/stalled").path("customers")));
        assertThat(texts("#idle-table tbody tr", "data-customer"))
                .containsExactlyElementsOf(ids(api(token, "/api/v1/idle?days=7").path("customers")));
    }

    private static void assertCustomerPageEqualsApi(String token, String customer) throws Exception {
        assertThat(browser.findElements(By.id("customer-not-found"))).isEmpty();
        JsonNode timeline = api(token, "/api/v1/customers/" + customer + "/timeline");
        List<String> actions = new ArrayList<>();
        timeline.path("events").forEach(e -> actions.add(0, e.path("id").asText()));
        assertThat(texts("#timeline-table tbody tr", "data-action")).as("the customer's actions, newest first")
                .containsExactlyElementsOf(actions);
        JsonNode stages = api(token, "/api/v1/customers/" + customer + "/stages").path("stages");
        assertThat(browser.findElement(By.id("fact-stage")).getText())
                .contains(stages.get(stages.size() - 1).path("stage").asText());
    }

    private static void assertAttributionEqualsApi(String token, String model) throws Exception {
        JsonNode answer = api(token, "/api/v1/attribution?model=" + model);
        List<String> channels = new ArrayList<>();
        for (JsonNode c : answer.path("channels")) {
            String row = "#attribution-table tr[data-channel='" + c.path("channel").asText() + "'][data-currency='"
                    + c.path("currency").asText() + "'] ";
            assertThat(cell(row + "td[data-col='conversions']")).isEqualTo(decimal(c.path("conversions")));
            assertThat(cell(row + "td[data-col='revenue']")).isEqualTo(decimal(c.path("revenue")));
            channels.add(c.path("channel").asText());
        }
        assertThat(texts("#attribution-table tbody tr", "data-channel")).containsExactlyElementsOf(channels);
    }

    /**
     * The radar of the supervisor's rep with the most evidence over the demo's six months: each metric's value and
     * target as the API answers them, and a metric's evidence button listing exactly the API's evidence actions.
     */
    private static void assertHealthEqualsApi(String token) throws Exception {
        LocalDate first = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        String period = "?from=" + first.minusMonths(6) + "&to=" + first;
        String rep = null;
        long most = 0;
        for (int n = 1; n <= 6; n++) {
            long count = 0;
            for (JsonNode metric : api(token, "/api/v1/reps/rep-east-1-" + n + "/health" + period).path("metrics")) {
                count += metric.path("evidence").path("count").asLong();
                for (JsonNode c : metric.path("byCurrency")) {
                    count += c.path("evidence").path("count").asLong();
                }
            }
            if (count > most) {
                most = count;
                rep = "rep-east-1-" + n;
            }
        }
        assertThat(rep).as("a rep of the demo team with evidence in six months").isNotNull();
        new Select(browser.findElement(By.id("h-rep"))).selectByValue(rep);
        js("document.getElementById('h-from').value = arguments[0]; document.getElementById('h-to').value = arguments[1];",
                first.minusMonths(6).toString(), first.toString());
        browser.findElement(By.cssSelector("#health-filters button")).click();
        waitLoaded();
        JsonNode health = api(token, "/api/v1/reps/" + rep + "/health" + period);
        List<String> rows = new ArrayList<>();
        Map<String, JsonNode> byRow = new LinkedHashMap<>();
        health.path("metrics").fields().forEachRemaining(e -> {
            if (e.getValue().has("byCurrency")) {
                e.getValue().path("byCurrency").forEach(c -> {
                    rows.add(e.getKey() + " (" + c.path("currency").asText() + ")");
                    byRow.put(rows.get(rows.size() - 1), c);
                });
            } else {
                rows.add(e.getKey());
                byRow.put(e.getKey(), e.getValue());
            }
        });
        assertThat(texts("#health-table tbody tr", "data-metric")).containsExactlyElementsOf(rows);
        String withEvidence = null;
        for (Map.Entry<String, JsonNode> row : byRow.entrySet()) {
            String css = "#health-table tr[data-metric='" + row.getKey() + "'] ";
            assertThat(cell(css + "td[data-col='value']")).as(row.getKey()).isEqualTo(decimal(row.getValue().path("value")));
            assertThat(browser.findElements(By.cssSelector(css + "td[data-col='met'] .met"))).as(row.getKey() + " met")
                    .hasSize(row.getValue().path("met").asBoolean() ? 1 : 0);
            if (withEvidence == null && row.getValue().path("evidence").path("count").asLong() > 0) {
                withEvidence = row.getKey();
            }
        }
        assertThat(withEvidence).as("a metric with evidence").isNotNull();
        browser.findElement(By.cssSelector("#health-table tr[data-metric='" + withEvidence + "'] [data-evidence]"))
                .click();
        List<String> expected = new ArrayList<>();
        byRow.get(withEvidence).path("evidence").path("actionIds").forEach(id -> expected.add(id.asText()));
        assertThat(texts("#evidence-table tbody tr", "data-action")).as("the evidence of " + withEvidence)
                .isNotEmpty().containsExactlyElementsOf(expected);
    }

    private static void assertTodayEqualsApi(String token, String rep) throws Exception {
        JsonNode todo = api(token, "/api/v1/reps/" + rep + "/todo");
        List<String> todos = new ArrayList<>();
        for (String list : List.of("followUps", "collections", "poolReleases", "talkTracks")) {
            todo.path(list).forEach(t -> todos.add(t.path("id").asText()));
        }
        assertThat(texts("#todo-table tbody tr", "data-todo")).containsExactlyElementsOf(todos);
        assertThat(texts("#today-idle-table tbody tr", "data-customer"))
                .containsExactlyElementsOf(ids(api(token, "/api/v1/idle?days=7&rep=" + rep).path("customers")));
    }

    // ---------- accessibility ----------

    @SuppressWarnings("unchecked")
    private static void assertAccessible(String view) {
        List<String> unlabelled = (List<String>) js("""
                return [...document.querySelectorAll('input, select, button, textarea')]
                  .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
                  .filter(e => !((e.labels && e.labels.length) || e.getAttribute('aria-label') || e.textContent.trim()))
                  .map(e => e.outerHTML);""");
        assertThat(unlabelled).as("controls without a label on " + view).isEmpty();
        List<String> lowContrast = (List<String>) js("""
                function rgb(c) { const m = c.match(/[\\d.]+/g).map(Number); return {r:m[0], g:m[1], b:m[2], a: m.length > 3 ? m[3] : 1}; }
                function lum(c) { return [c.r, c.g, c.b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                  .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0); }
                function background(e) { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.a > 0) return c; } return {r:255, g:255, b:255, a:1}; }
                return [...document.querySelectorAll('main h1, main h2, main th, main td, main label, main button, main p, header a, header button, header span')]
                  .filter(e => e.offsetParent !== null && e.textContent.trim())
                  .map(e => { const f = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
                              return {e, ratio: (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05)}; })
                  .filter(x => x.ratio < 4.5).map(x => x.e.tagName + ' ' + x.e.textContent.trim().slice(0, 40) + ' ' + x.ratio.toFixed(2));""");
        assertThat(lowContrast).as("text below 4.5:1 contrast on " + view).isEmpty();
        // the keyboard reaches the views' links and the view's first control from the top of the page
        js("document.querySelector('.skip').focus();");
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            reached.add((String) js("const e = document.activeElement; return e.id || e.getAttribute('href') || e.tagName;"));
        }
        assertThat(reached).as("tab order on " + view).contains("#" + view.split("/")[0]);
        String firstControl = (String) js("const e = document.querySelector('main form input, main form select'); return e ? e.id : null;");
        if (firstControl != null) {
            assertThat(reached).as("tab order on " + view).contains(firstControl);
        }
    }

    // ---------- the browser ----------

    private static void signIn(String user) {
        forgetToken();
        browser.get(query("/").toString());
        waitFor(d -> d.getCurrentUrl().contains("/login"));
        assertThat(browser.findElement(By.cssSelector("label[for='username']")).getText()).contains("User id");
        assertThat(browser.findElement(By.cssSelector("label[for='password']")).getText()).contains("Secret");
        screenshot("login");
        login(user, secrets.get(user));
        waitFor(d -> user.equals(d.findElement(By.id("who")).getAttribute("data-user")));
        waitLoaded();
    }

    /** A test that failed signed in leaves no token behind for the next one. */
    private static void forgetToken() {
        browser.get(query("/dashboard/config").toString());
        js("sessionStorage.clear();");
    }

    private static void login(String user, String secret) {
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(secret);
        browser.findElement(By.id("sign-in")).click();
    }

    private static void signOut() {
        browser.findElement(By.id("signout")).click();
        waitFor(d -> d.getCurrentUrl().contains("/login"));
    }

    private static void show(String hash) {
        js("document.getElementById('main').dataset.loaded = '';"
                + "if (location.hash === '#' + arguments[0]) { window.dispatchEvent(new HashChangeEvent('hashchange')); }"
                + "else { location.hash = arguments[0]; }", hash);
        waitLoaded();
    }

    private static void waitLoaded() {
        js("1");
        waitFor(d -> {
            WebElement main = d.findElement(By.id("main"));
            String loaded = main.getAttribute("data-loaded");
            return loaded != null && !loaded.isEmpty() && "false".equals(main.getAttribute("aria-busy"));
        });
        List<WebElement> errors = browser.findElements(By.cssSelector("main .error[role='alert']"));
        assertThat(errors).as("no error on the page").isEmpty();
    }

    private static void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(condition::apply);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static String cell(String css) {
        return browser.findElement(By.cssSelector(css)).getText().trim();
    }

    private static List<String> texts(String css, String attribute) {
        return browser.findElements(By.cssSelector(css)).stream()
                .map(e -> attribute == null ? e.getText().trim() : e.getAttribute(attribute)).toList();
    }

    private static void screenshot(String name) {
        try {
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                    SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new AssertionError("could not keep the screenshot " + name, e);
        }
    }

    // ---------- the API ----------

    private static List<String> ids(JsonNode customers) {
        List<String> ids = new ArrayList<>();
        customers.forEach(c -> ids.add(c.path("customerId").asText()));
        return ids;
    }

    private static String token(String user) {
        return TestHttp.fetchToken(command("/oauth2/token").toString(), user, secrets.get(user));
    }

    private static JsonNode api(String token, String path) throws Exception {
        TestHttp.Response response = TestHttp.get(query(path), token);
        assertThat(response.status()).as(path + ": " + response).isEqualTo(200);
        return response.json();
    }

    private static void post(String id, String type, String subject, OffsetDateTime time, String actor, String data)
            throws Exception {
        TestHttp.Response response = TestHttp.post(command("/api/v1/actions"),
                TestHttp.envelope(id, type, subject,
                        time.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")), actor, data), "Content-Type", "application/json");
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
    }

    private static URI command(String path) {
        return URI.create("http://127.0.0.1:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://127.0.0.1:" + system.queryPort() + path);
    }
}
