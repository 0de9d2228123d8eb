package org.salesledger.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.salesledger.bench.generate.DataGenerator;
import org.salesledger.bench.generate.GeneratorOptions;

/**
 * One benchmark run: for each configuration (tuned, then Axon's defaults) a fresh database and a system started on
 * it, then each chosen scenario, each next to its raw baseline measured on the same PostgreSQL just before it.
 * Rows are printed as they come and collected into a {@link ResultsTable}.
 */
public final class BenchRun {

    /** Where a configuration's database comes from: a fresh one per configuration. */
    public interface Databases {
        Database fresh(Configuration configuration) throws Exception;
    }

    /**
     * Names of the Kafka relay's metrics (infra/kafka RelayMetrics; -Dbench.kafka.published-metric=… /
     * -Dbench.kafka.latency-metric=… override them): a counter of records acknowledged by Kafka and the time from
     * storing an event to Kafka's acknowledgement, a histogram whose buckets, read before and after an import, give
     * the p99 of what the import published.
     */
    static final String KAFKA_PUBLISHED = System.getProperty("bench.kafka.published-metric",
            "salesledger_kafka_published_total");
    static final String KAFKA_LATENCY = System.getProperty("bench.kafka.latency-metric",
            "salesledger_kafka_publish_latency_seconds");
    /** The token check's own time per call on the command side (issue 17), a histogram. */
    static final String CHECK_TIME = "salesledger_identity_check_seconds";
    /** The import's rows: until the request returned (every event in the store), and until every read model has it. */
    static final String STORED = ", stored";
    static final String CAUGHT_UP = ", every read model caught up";
    static final String CAUGHT_UP_TARGET = "≥ 0.25, ≤ 0.3 ms system CPU per event";
    static final String WHERE_CPU_WENT = ", where the system's CPU went until then";
    /** The command path's: while the load ran (issue 22: what each part of the system costs per action). */
    static final String WHERE_CPU_WENT_LOADED = ", where the system's CPU went while it ran";
    /** The same file imported through a command node alone: the store without the read models (issue 22). */
    static final String STORE_ALONE = ", store alone (a command node, no read model running)";
    static final String STORE_ALONE_CPU = ": where the command node's CPU went during the request";
    static final String WORK_CPU = "salesledger_threads_cpu_seconds_total";

    private static final long SEED = 7;

    private final BenchOptions options;
    private final SystemStarter starter;
    private final Databases databases;
    private final PrintStream log;
    private final ResultsTable table = new ResultsTable();
    private final Http http = new Http();
    /**
     * Put before every customer id of a run against a system already running: a second run would otherwise send the
     * first run's customers again, and their actions, already stored, would be answered as duplicates — measuring
     * the duplicate check instead of the command path. A system the harness starts has a fresh database.
     */
    private final String runTag;
    /** The tuned configuration's ratio to its baseline per scenario (×10^6, as a count), for Axon's defaults' rows. */
    private final Map<String, Measurement> tuned = new HashMap<>();
    private final Map<Scenario, String> notes = new EnumMap<>(Scenario.class);
    /** Issue 19's scenarios: the audit tree's cost, proofs, a customer's state. */
    private final AuditBench audit;
    /** Starts the nodes of one side for the nodes scenario (issue 20); null when this run cannot. */
    private final NodeStarter nodes;
    /** Customers loaded by the largest import: their id prefix and count, for timeline queries. */
    private String loadedPrefix;
    private long loadedCustomers;
    private long loadedEvents;

    public BenchRun(BenchOptions options, SystemStarter starter, Databases databases, PrintStream log) {
        this(options, starter, null, databases, log);
    }

    /** A run whose nodes scenario starts nodes of one side with {@code nodes} (null: the scenario is skipped). */
    public BenchRun(BenchOptions options, SystemStarter starter, NodeStarter nodes, Databases databases,
                    PrintStream log) {
        this.nodes = nodes;
        this.runTag = options.external() ? "r" + Long.toString(System.currentTimeMillis(), 36) + "-" : "";
        this.options = options;
        this.starter = starter;
        this.databases = databases;
        this.log = log;
        this.audit = new AuditBench(options, http, log, this::add, this::awaitReadModels, runTag);
    }

    public ResultsTable run() throws Exception {
        runConfigurations();
        runAuditPair();
        runNodes();
        return table;
    }

    private void runConfigurations() throws Exception {
        if (options.scenarios().stream().allMatch(s -> s == Scenario.NODES)) {
            return; // the nodes scenario starts its own nodes
        }
        for (Configuration configuration : options.configurations()) {
            Database database = databases.fresh(configuration);
            log.printf("%n== %s: starting the system on %s%n", configuration.label(), database);
            try (SystemUnderTest system = starter.start(configuration, database)) {
                log.printf("   command side %s, query side %s%s%n", system.commandUrl(), system.queryUrl(),
                        system.pid().isPresent() ? ", pid " + system.pid().getAsLong() : "");
                Baselines baselines = new Baselines(system.database());
                try {
                    runScenarios(configuration, system, baselines);
                } finally {
                    baselines.drop();
                }
            }
        }
    }

    /**
     * Issue 19's systems side by side on the same PostgreSQL: one with the audit tree and one without, for the tree's
     * cost on the command path and the import (alternating rounds); the one without then takes the synthetic tree
     * the proofs are timed in at 10 M leaves. Needs systems the harness starts.
     */
    private void runAuditPair() throws Exception {
        boolean pair = options.pairsAudit();
        boolean synthetic = wants(Scenario.PROOFS);
        if (options.external()) {
            if (synthetic) {
                add(Row.skipped("audit proofs, synthetic tree", Configuration.WITHOUT_AUDIT.label(),
                        "needs a system the harness starts on a database of its own (not --url)"));
            }
            return;
        }
        if (!pair && !synthetic) {
            return;
        }
        Database withoutDatabase = databases.fresh(Configuration.WITHOUT_AUDIT);
        log.printf("%n== %s: starting the system on %s%n", Configuration.WITHOUT_AUDIT.label(), withoutDatabase);
        try (SystemUnderTest without = starter.start(Configuration.WITHOUT_AUDIT, withoutDatabase)) {
            log.printf("   command side %s, query side %s%n", without.commandUrl(), without.queryUrl());
            if (pair) {
                Database withDatabase = databases.fresh(Configuration.WITH_AUDIT);
                log.printf("%n== %s: starting the system on %s, beside it%n", Configuration.WITH_AUDIT.label(),
                        withDatabase);
                try (SystemUnderTest with = starter.start(Configuration.WITH_AUDIT, withDatabase)) {
                    log.printf("   command side %s, query side %s%n", with.commandUrl(), with.queryUrl());
                    audit.pairedCost(with, without, wants(Scenario.COMMAND), wants(Scenario.IMPORT));
                }
            }
            if (synthetic) {
                audit.proofsOfASyntheticTree(Configuration.WITHOUT_AUDIT, without);
            }
        }
    }

    /**
     * Issue 20: the read models' catch-up on 1, 2, 3… query nodes and the import through as many command nodes
     * ({@link NodesBench}); needs nodes the harness starts.
     */
    private void runNodes() throws Exception {
        if (!wants(Scenario.NODES)) {
            return;
        }
        if (options.external() || nodes == null) {
            add(Row.skipped("read models caught up with N query nodes", "—", "needs nodes the harness starts on "
                    + "databases of its own (not --url)"));
            return;
        }
        new NodesBench(options, nodes, databases, http, log, this::add).run();
    }

    private void runScenarios(Configuration configuration, SystemUnderTest system, Baselines baselines)
            throws Exception {
        if (configuration == Configuration.WITHOUT_TOKENS) {
            // the same command path with and without the token check: what the check costs (issue 17)
            if (wants(Scenario.COMMAND)) {
                pairedTokenCheck(configuration, system);
            }
            return;
        }
        if (wants(Scenario.COMMAND)) {
            commandPath(configuration, system, baselines);
        }
        if (wants(Scenario.IMPORT) || (configuration == Configuration.TUNED
                && (wants(Scenario.MEMORY) || wants(Scenario.KAFKA)))) {
            List<Long> sizes = configuration == Configuration.TUNED ? options.importSizes()
                    : List.of(options.defaultsImportSize());
            for (int i = 0; i < sizes.size(); i++) {
                boolean largest = i == sizes.size() - 1;
                importOf(configuration, system, baselines, sizes.get(i), largest, i == 0);
            }
        } else if (configuration == Configuration.TUNED) {
            if (wants(Scenario.MEMORY)) {
                add(Row.skipped("memory", configuration.label(), "measured during an import: run the import scenario"));
            }
        }
        if (configuration != Configuration.TUNED) {
            return;
        }
        if (wants(Scenario.QUERIES) || wants(Scenario.REBUILD) || wants(Scenario.STATE) || wants(Scenario.PROOFS)
                || wants(Scenario.HEALTH)) {
            awaitReadModels(system);
        }
        if (wants(Scenario.QUERIES)) {
            queries(configuration, system);
        }
        if (wants(Scenario.HEALTH)) {
            health(configuration, system);
        }
        if (wants(Scenario.STATE)) {
            audit.state(configuration, system);
        }
        if (wants(Scenario.PROOFS)) {
            audit.proofsOfTheRun(configuration, system);
        }
        if (wants(Scenario.REBUILD)) {
            rebuilds(configuration, system, baselines);
        }
    }

    private boolean wants(Scenario scenario) {
        return options.scenarios().contains(scenario);
    }

    // ---- command path ----

    private void commandPath(Configuration configuration, SystemUnderTest system, Baselines baselines)
            throws Exception {
        long postmaster = CpuTime.postmasterOf(system.database());
        for (int clients : options.clients()) {
            String scenario = "command path, " + clients + (clients == 1 ? " client" : " clients");
            log.printf("-- %s (%s): baseline, one-row insert transactions…%n", scenario, configuration.label());
            CpuUse.Meter baselineCpu = CpuUse.Meter.ofHarness(postmaster);
            Measurement baseline = baselineCpu.applyTo(baselines.oneRowInserts(clients, options.warmup(),
                    options.duration(), baselineCpu), "insert");
            log.printf("   baseline %s%n", baseline.describe("inserts"));
            String prefix = runTag + "cp" + clients + "-" + configuration.name().toLowerCase(Locale.ROOT) + "-";
            URI actions = system.commandUrl().resolve("/api/v1/actions");
            GeneratorOptions journeys = GeneratorOptions.of(10_000_000, SEED).withPrefix(prefix);
            CpuUse.Meter systemCpu = new CpuUse.Meter("system", system.pid(), postmaster);
            NavigableMap<Double, Double> checkBefore = checkTimes(system);
            List<Map<String, Double>> works = new ArrayList<>();
            Load.Warmup warmup = untilTheJitSettles(system);
            long loadBegun = System.nanoTime();
            long[] warmedNanos = new long[1];
            Load.Window window = new Load.Window() {
                @Override
                public void started() {
                    warmedNanos[0] = System.nanoTime() - loadBegun;
                    works.add(workCpu(system));
                    systemCpu.started();
                }

                @Override
                public void ended() {
                    systemCpu.ended();
                    works.add(workCpu(system));
                }
            };
            Measurement measured = systemCpu.applyTo(Load.run(clients, warmup, options.duration(),
                    client -> {
                        Iterator<String> lines = linesOfClient(journeys, client, clients);
                        return () -> {
                            Http.Answer answer = http.postJson(actions, lines.next());
                            return answer.status() == 202;
                        };
                    }, window), "action");
            if (warmup.maximum().compareTo(warmup.minimum()) > 0) {
                measured = measured.withNote(String.format(Locale.ROOT, "measured after %.0f s of this load's warm-up"
                        + " (until the JIT used ≤ %.0f %% of the system's CPU, at most %d s)", warmedNanos[0] / 1e9,
                        JIT_SETTLED_SHARE * 100, warmup.maximum().toSeconds()));
            }
            String target = clients == 8 ? "≥ 0.5 and p99 < 50 ms" : "≥ 0.5";
            boolean met = measured.perSecond() >= 0.5 * baseline.perSecond() && measured.failures() == 0
                    && (clients != 8 || measured.p99() < 50);
            ratioRow(scenario, configuration, measured, "actions", baseline, "inserts", target, met);
            if (works.size() == 2) {
                // the actions' processing by every processor goes on after the window: counted while the load ran
                workRow(scenario + WHERE_CPU_WENT_LOADED, configuration, works.get(0), works.get(1), systemCpu,
                        measured.count(), "action");
            }
            checkRow(scenario, configuration, checkBefore, checkTimes(system));
        }
    }

    /**
     * The command path's warm-up: the given one, and then on until the system's JIT compilers use at most
     * {@value #JIT_SETTLED_SHARE} of its CPU over {@link #JIT_CHECK_EVERY}, for at most {@link #JIT_WARMUP_LIMIT}. On
     * two cores a fresh system's JIT takes a quarter of its CPU for the first minutes of a load (issue 22, sixth step):
     * measured before it settles, the figures say how fast the system starts, not how fast it runs. Only the given
     * warm-up with {@code --quick}, or when the system's process cannot be read (a system at {@code --url}).
     */
    private Load.Warmup untilTheJitSettles(SystemUnderTest system) {
        if (options.quick() || system.pid().isEmpty() || CpuTime.jvmThreadsOf(system.pid().getAsLong()).isEmpty()) {
            return Load.Warmup.fixed(options.warmup());
        }
        return new Load.Warmup(options.warmup(), JIT_WARMUP_LIMIT, JIT_CHECK_EVERY,
                CpuTime.jitSettled(system.pid().getAsLong(), JIT_SETTLED_SHARE));
    }

    /** The query side's read models' lags, one sample each: events stored but not yet applied. */
    static final String LAG = "salesledger_projection_lag_events";

    static final double JIT_SETTLED_SHARE = 0.10;
    static final Duration JIT_CHECK_EVERY = Duration.ofSeconds(10);
    static final Duration JIT_WARMUP_LIMIT = Duration.ofSeconds(300);

    /**
     * The token check's own time on the command side during the load (the histogram {@value #CHECK_TIME}: from the
     * first filter of the security chain to the authorization decision). Without tokens it is what is left of the
     * chain when nothing is verified.
     */
    private void checkRow(String scenario, Configuration configuration, NavigableMap<Double, Double> before,
                          NavigableMap<Double, Double> after) {
        OptionalDouble p50 = Prometheus.quantileBetween(before, after, 0.50);
        OptionalDouble p99 = Prometheus.quantileBetween(before, after, 0.99);
        String row = scenario + ", the token check on the server";
        if (p99.isEmpty()) {
            add(Row.skipped(row, configuration.label(), "not available: the command side exports no " + CHECK_TIME));
            return;
        }
        add(new Row(row, configuration.label(), "p50 ≤ " + Measurement.ms(p50.getAsDouble() * 1000) + " ms, p99 ≤ "
                + Measurement.ms(p99.getAsDouble() * 1000) + " ms (histogram bucket bounds)", "—", "—",
                "< 1 ms at p99", verdict(p99.getAsDouble() < 0.001)));
    }

    /** The buckets of the command side's token-check histogram, calls with a token (empty when it has none). */
    private NavigableMap<Double, Double> checkTimes(SystemUnderTest system) {
        return checkTimes(system, true);
    }

    /** The buckets of the command side's token-check histogram for calls with or without a bearer token. */
    private NavigableMap<Double, Double> checkTimes(SystemUnderTest system, boolean bearer) {
        try {
            return Prometheus.buckets(http.get(system.commandUrl().resolve("/actuator/prometheus")).body(), CHECK_TIME,
                    "bearer=\"" + (bearer ? "yes" : "no") + "\"");
        } catch (IOException | InterruptedException e) {
            return new TreeMap<>();
        }
    }

    /**
     * What the token check adds, measured in pairs (issue 17): on a system started with the measurement-only profile
     * {@code benchmark-without-tokens}, every client alternates a call with the admin's token (verified, the user
     * read, the permission checked) and a call without one (taken as the admin's, nothing verified), so both halves
     * meet the same system, the same database and the same moment's load. Reported: each half's end-to-end
     * latencies and their difference, on which the verdict is (what the check adds at p99), and the check's own
     * time on the server for each half (on a saturated machine its p99 is mostly time the thread waited for a
     * core).
     */
    private void pairedTokenCheck(Configuration configuration, SystemUnderTest system) throws Exception {
        for (int clients : options.clients()) {
            String scenario = "command path, " + clients + (clients == 1 ? " client" : " clients") + ", the token check";
            log.printf("-- %s: half the calls with a token, half without…%n", scenario);
            String prefix = runTag + "tc" + clients + "-";
            URI actions = system.commandUrl().resolve("/api/v1/actions");
            GeneratorOptions journeys = GeneratorOptions.of(10_000_000, SEED).withPrefix(prefix);
            Latencies with = new Latencies();
            Latencies without = new Latencies();
            java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean();
            NavigableMap<Double, Double> serverWithBefore = checkTimes(system, true);
            NavigableMap<Double, Double> serverWithoutBefore = checkTimes(system, false);
            Measurement all = Load.run(clients, options.warmup(), options.duration(), client -> {
                Iterator<String> lines = linesOfClient(journeys, client, clients);
                boolean[] nextWithToken = {client % 2 == 0};
                return () -> {
                    boolean withToken = nextWithToken[0];
                    nextWithToken[0] = !withToken;
                    long start = System.nanoTime();
                    Http.Answer answer = http.postJson(actions, lines.next(), withToken);
                    if (measuring.get()) {
                        (withToken ? with : without).record(System.nanoTime() - start);
                    }
                    return answer.status() == 202;
                };
            }, new Load.Window() {
                @Override
                public void started() {
                    measuring.set(true);
                }

                @Override
                public void ended() {
                    measuring.set(false);
                }
            });
            org.HdrHistogram.Histogram withTimes = with.histogram();
            org.HdrHistogram.Histogram withoutTimes = without.histogram();
            double p50With = Latencies.millis(withTimes, 50);
            double p99With = Latencies.millis(withTimes, 99);
            double p50Without = Latencies.millis(withoutTimes, 50);
            double p99Without = Latencies.millis(withoutTimes, 99);
            NavigableMap<Double, Double> serverWithAfter = checkTimes(system, true);
            NavigableMap<Double, Double> serverWithoutAfter = checkTimes(system, false);
            OptionalDouble serverWith99 = Prometheus.quantileBetween(serverWithBefore, serverWithAfter, 0.99);
            OptionalDouble serverWith50 = Prometheus.quantileBetween(serverWithBefore, serverWithAfter, 0.50);
            OptionalDouble serverWithout99 = Prometheus.quantileBetween(serverWithoutBefore, serverWithoutAfter, 0.99);
            OptionalDouble serverWithout50 = Prometheus.quantileBetween(serverWithoutBefore, serverWithoutAfter, 0.50);
            String figure = String.format(Locale.ROOT, "%,.0f actions/s%s; with a token p50 %s ms, p99 %s ms; without "
                            + "p50 %s ms, p99 %s ms; difference p50 %+.2f ms, p99 %+.2f ms", all.perSecond(),
                    all.failures() > 0 ? " (" + all.failures() + " failed)" : "", Measurement.ms(p50With),
                    Measurement.ms(p99With), Measurement.ms(p50Without), Measurement.ms(p99Without),
                    p50With - p50Without, p99With - p99Without);
            if (serverWith99.isEmpty() || serverWithout99.isEmpty()) {
                add(new Row(scenario, "half with, half without", figure, "the check's own time: not exported", "—",
                        "< 1 ms at p99", "not available: the command side exports no " + CHECK_TIME));
                continue;
            }
            String server = "the check on the server: with a token p50 ≤ " + ms(serverWith50) + " ms, p99 ≤ "
                    + ms(serverWith99) + " ms; without p50 ≤ " + ms(serverWithout50) + " ms, p99 ≤ "
                    + ms(serverWithout99) + " ms";
            add(new Row(scenario, "half with, half without", figure, server, "—", "< 1 ms at p99",
                    verdict(p99With - p99Without < 1.0 && all.failures() == 0)));
        }
    }

    private static String ms(OptionalDouble seconds) {
        return seconds.isEmpty() ? "—" : Measurement.ms(seconds.getAsDouble() * 1000);
    }

    /** The journeys of customers client, client + clients, …, line after line. */
    static Iterator<String> linesOfClient(GeneratorOptions journeys, int client, int clients) {
        return new Iterator<>() {
            long customer = client;
            Iterator<String> current = DataGenerator.journey(journeys, customer).iterator();

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public String next() {
                while (!current.hasNext()) {
                    customer += clients;
                    current = DataGenerator.journey(journeys, customer).iterator();
                }
                return current.next();
            }
        };
    }

    // ---- import, memory, Kafka relay ----

    private void importOf(Configuration configuration, SystemUnderTest system, Baselines baselines, long events,
                          boolean largest, boolean first) throws Exception {
        String scenario = "import, " + count(events) + " events";
        String prefix = runTag + "im" + events + "-" + configuration.name().toLowerCase(Locale.ROOT) + "-";
        long customers = (long) Math.ceil(events / DataGenerator.LINES_PER_CUSTOMER * 1.05) + 1;
        GeneratorOptions data = GeneratorOptions.of(customers, SEED).withPrefix(prefix).withMaxEvents(events);
        Path file = options.dataDir().resolve("data").resolve(prefix + "actions.ndjson");
        long postmaster = CpuTime.postmasterOf(system.database());
        Files.createDirectories(file.getParent());
        log.printf("-- %s (%s): generating %s…%n", scenario, configuration.label(), file);
        DataGenerator.Summary written;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            written = new DataGenerator(data).write(out);
        }
        long lines = written.lines();
        try {
            Measurement baseline = null;
            if (wants(Scenario.IMPORT)) {
                log.printf("   baseline, COPY of %s event-shaped rows…%n", count(lines));
                CpuUse.Meter copyCpu = CpuUse.Meter.ofHarness(postmaster);
                baseline = copyCpu.applyTo(baselines.copy(lines, copyCpu), "row");
                log.printf("   baseline %s%n", baseline.describe("rows"));
                baselines.reset();
            }
            boolean relay = configuration == Configuration.TUNED && first && wants(Scenario.KAFKA);
            OptionalDouble publishedBefore = relay ? relayPublished(system) : OptionalDouble.empty();
            NavigableMap<Double, Double> latencyBefore = relay ? relayLatency(system) : new TreeMap<>();
            HeapSampler heap = new HeapSampler(system);
            heap.start();
            log.printf("   POST /api/v1/import of %s lines (%,.0f MB)…%n", count(lines), Files.size(file) / 1e6);
            CpuUse.Meter importCpu = new CpuUse.Meter("system", system.pid(), postmaster);
            CpuUse.Meter caughtUpCpu = new CpuUse.Meter("system", system.pid(), postmaster);
            Map<String, Double> workBefore = workCpu(system);
            OptionalLong commitsBefore = commits(system.database());
            importCpu.started();
            caughtUpCpu.started();
            long started = System.nanoTime();
            Http.Answer answer = http.postFile(system.commandUrl().resolve("/api/v1/import"), file);
            double seconds = (System.nanoTime() - started) / 1e9;
            importCpu.ended();
            if (answer.status() != 200) {
                heap.stop();
                add(new Row(scenario + STORED, configuration.label(), "failed: HTTP " + answer.status(), "—", "—",
                        "≥ 0.5", answer.body().lines().findFirst().orElse("")));
                return;
            }
            JsonNode report = answer.json();
            long accepted = report.path("accepted").asLong();
            long rejected = report.path("rejected").asLong();
            Measurement measured = importCpu.applyTo(
                    new Measurement(accepted, seconds, Double.NaN, Double.NaN, rejected), "event");
            log.printf("   stored %s; waiting for every read model…%n", measured.describe("events"));
            OptionalDouble caughtUp = wants(Scenario.IMPORT) ? caughtUpAfter(system, started) : OptionalDouble.empty();
            caughtUpCpu.ended();
            heap.stop();
            if (wants(Scenario.IMPORT)) {
                boolean met = measured.perSecond() >= 0.5 * baseline.perSecond() && rejected == 0;
                ratioRow(scenario + STORED, configuration, measured, "events", baseline, "rows", "≥ 0.5", met);
                caughtUpRow(scenario + CAUGHT_UP, configuration, caughtUpCpu, accepted, rejected, caughtUp, baseline,
                        commitsBefore, commits(system.database()));
                if (caughtUp.isPresent()) {
                    workRow(scenario + WHERE_CPU_WENT, configuration, workBefore, workCpu(system), caughtUpCpu,
                            accepted, "event");
                }
                if (configuration == Configuration.TUNED && largest) {
                    storeAlone(scenario + STORE_ALONE, file, baseline);
                }
            } else {
                log.printf("   imported %s%n", measured.describe("events"));
            }
            if (configuration == Configuration.TUNED && largest) {
                loadedPrefix = prefix;
                // the customers the import registered: the generator's last window may have been cut short
                loadedCustomers = written.registeredCustomers();
                loadedEvents = accepted;
                if (wants(Scenario.MEMORY)) {
                    memoryRow(configuration, system, events, heap);
                }
            }
            if (relay) {
                relayRow(configuration, system, publishedBefore, latencyBefore, accepted, started);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The store alone (issue 22: ≥ 0.5 of {@code COPY}): the same file imported through a command node as shipped
     * ({@code --role command}) on a fresh database, with no query side running — the command side's own processors
     * (rules, timers, pool owners, the Kafka relay to the harness's Kafka) run as they do beside the read models. Timed
     * until the request returns, with that node's and PostgreSQL's CPU, and where the node's CPU went meanwhile, per
     * work; the system of the other rows stays up, idle, meanwhile. Skipped when the harness starts no nodes (a
     * system at {@code --url}).
     */
    private void storeAlone(String scenario, Path file, Measurement baseline) throws Exception {
        if (nodes == null) {
            add(Row.skipped(scenario, Configuration.STORE_ALONE.label(), "needs nodes the harness starts on "
                    + "databases of its own (not --url)"));
            return;
        }
        Database database = databases.fresh(Configuration.STORE_ALONE);
        log.printf("   the same file through a command node alone on %s…%n", database);
        try (SystemUnderTest node = nodes.commandAsShipped(database, "store-alone")) {
            CpuUse.Meter cpu = new CpuUse.Meter("command node", node.pid(), CpuTime.postmasterOf(database));
            Map<String, Double> workBefore = workCpuOf(node.commandUrl());
            cpu.started();
            long started = System.nanoTime();
            Http.Answer answer = http.postFile(node.commandUrl().resolve("/api/v1/import"), file);
            double seconds = (System.nanoTime() - started) / 1e9;
            cpu.ended();
            if (answer.status() != 200) {
                add(new Row(scenario, Configuration.STORE_ALONE.label(), "failed: HTTP " + answer.status(), "—",
                        "—", "≥ 0.5", answer.body().lines().findFirst().orElse("")));
                return;
            }
            long accepted = answer.json().path("accepted").asLong();
            long rejected = answer.json().path("rejected").asLong();
            Measurement measured = cpu.applyTo(new Measurement(accepted, seconds, Double.NaN, Double.NaN, rejected),
                    "event");
            boolean met = measured.perSecond() >= 0.5 * baseline.perSecond() && rejected == 0;
            add(new Row(scenario, Configuration.STORE_ALONE.label(), measured.describe("events"),
                    baseline.describe("rows"), ratio(measured, baseline), "≥ 0.5", verdict(met)));
            workRow(scenario + STORE_ALONE_CPU, Configuration.STORE_ALONE, workBefore,
                    workCpuOf(node.commandUrl()), cpu, accepted, "event");
        } finally {
            NodesBench.drop(database, database.name());
        }
    }

    /**
     * The import's second row: from the moment it was sent until every read model of the query side has applied
     * every event ({@code salesledger_projection_lag_events} at 0), with the system's CPU over that whole window.
     * Issue 22's goals: ≥ 0.25 of {@code COPY}, ≤ 0.3 ms of the system's CPU per event.
     */
    private void caughtUpRow(String scenario, Configuration configuration, CpuUse.Meter cpu, long accepted,
                             long rejected, OptionalDouble seconds, Measurement baseline, OptionalLong commitsBefore,
                             OptionalLong commitsAfter) {
        if (seconds.isEmpty()) {
            add(new Row(scenario, configuration.label(), "not caught up after " + options.catchUpTimeout()
                    + ", or the query side exports no salesledger_projection_lag_events", baseline.describe("rows"),
                    "—", CAUGHT_UP_TARGET, "missed"));
            return;
        }
        Measurement measured = cpu.applyTo(new Measurement(accepted, seconds.getAsDouble(), Double.NaN, Double.NaN,
                rejected), "event");
        if (commitsBefore.isPresent() && commitsAfter.isPresent() && accepted > 0) {
            measured = measured.withNote(String.format(Locale.ROOT, "%.1f PostgreSQL transactions per 100 events",
                    (commitsAfter.getAsLong() - commitsBefore.getAsLong()) * 100.0 / accepted));
        }
        OptionalDouble cpuPerEvent = cpu.processMillisPer(accepted);
        boolean met = measured.perSecond() >= 0.25 * baseline.perSecond() && rejected == 0
                && cpuPerEvent.isPresent() && cpuPerEvent.getAsDouble() <= 0.3;
        ratioRow(scenario, configuration, measured, "events", baseline, "rows", CAUGHT_UP_TARGET, met);
    }

    /**
     * Where the system's CPU went over a window (an import until its read models caught up, the command path's
     * load, the store-alone import), per {@code unit}: each work's threads
     * ({@code salesledger_threads_cpu_seconds_total{work=…}}: each processor's workers, Axon's coordinators, the
     * import, HTTP, the audit log, …), largest first, and what the process spent outside its Java threads (the
     * garbage collector, the JIT). Issue 22 asks what identity, health and the audit log each cost.
     */
    private void workRow(String scenario, Configuration configuration, Map<String, Double> before,
                         Map<String, Double> after, CpuUse.Meter cpu, long events, String unit) {
        if (after.isEmpty() || events <= 0) {
            add(Row.skipped(scenario, configuration.label(), "not available: the system exports no "
                    + WORK_CPU));
            return;
        }
        List<Map.Entry<String, Double>> works = new ArrayList<>();
        double sum = 0;
        for (Map.Entry<String, Double> work : after.entrySet()) {
            double seconds = work.getValue() - before.getOrDefault(work.getKey(), 0.0);
            if (seconds > 0) {
                works.add(Map.entry(work.getKey(), seconds));
                sum += seconds;
            }
        }
        works.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        StringBuilder figure = new StringBuilder("per " + unit + ":");
        for (Map.Entry<String, Double> work : works) {
            figure.append(String.format(Locale.ROOT, " %s %.3f ms,", work.getKey(), work.getValue() * 1000 / events));
        }
        OptionalDouble process = cpu.processMillisPer(events);
        if (process.isPresent()) {
            figure.append(String.format(Locale.ROOT, " outside Java threads (GC, JIT) %.3f ms",
                    process.getAsDouble() - sum * 1000 / events));
            // read from /proc at the window's ends, where the Java threads' CPU comes from the system's metric: in
            // a short window the two parts may add up to more than the difference above
            Map<String, Double> jvm = cpu.jvmMillisPer(events);
            if (!jvm.isEmpty()) {
                figure.append(String.format(Locale.ROOT, " (by their own threads: the JIT's compilers %.3f ms, the"
                        + " garbage collector's %.3f ms)", jvm.getOrDefault(CpuTime.JIT, 0.0),
                        jvm.getOrDefault(CpuTime.GC, 0.0)));
            }
            figure.append(',');
        }
        figure.setLength(figure.length() - 1);
        add(new Row(scenario, configuration.label(), figure.toString(), "—", "—", "—", "—"));
    }

    /**
     * The system's threads' CPU seconds by work. Both sides of one process report the same threads, so the command
     * side's figures are taken alone when they include the query side's read models; otherwise (two processes) the
     * two sides' are added up.
     */
    private Map<String, Double> workCpu(SystemUnderTest system) {
        Map<String, Double> command = workCpuOf(system.commandUrl());
        if (command.isEmpty() || command.containsKey("timeline")) {
            return command;
        }
        Map<String, Double> both = new java.util.TreeMap<>(command);
        workCpuOf(system.queryUrl()).forEach((work, seconds) -> both.merge(work, seconds, Double::sum));
        return both;
    }

    /** One side's CPU seconds per work, empty when it cannot be read. */
    private Map<String, Double> workCpuOf(URI side) {
        try {
            return Prometheus.byLabel(http.get(side.resolve("/actuator/prometheus")).body(), WORK_CPU, "work");
        } catch (IOException | InterruptedException e) {
            return Map.of();
        }
    }

    /**
     * Seconds from {@code startedNanos} until the query side's read models have no lag left (polled every 500 ms:
     * each poll costs the system a few transactions of its own, counted in the row's transactions per event), or
     * empty when the metric is missing or they are still behind after the catch-up timeout.
     */
    private OptionalDouble caughtUpAfter(SystemUnderTest system, long startedNanos) throws Exception {
        long deadline = System.nanoTime() + options.catchUpTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            OptionalDouble lag = readModelLag(system);
            if (lag.isEmpty()) {
                return OptionalDouble.empty();
            }
            if (lag.getAsDouble() == 0) {
                double seconds = (System.nanoTime() - startedNanos) / 1e9;
                log.printf("   every read model caught up %.1f s after the import was sent%n", seconds);
                return OptionalDouble.of(seconds);
            }
            Thread.sleep(500);
        }
        return OptionalDouble.empty();
    }

    /**
     * Transactions committed in the system's database so far ({@code pg_stat_database.xact_commit}, which PostgreSQL
     * updates within a second or so), or empty when it cannot be read.
     */
    private static OptionalLong commits(Database database) {
        try (java.sql.Connection connection = database.connect();
             java.sql.Statement statement = connection.createStatement()) {
            // the statistics a transaction sees are a snapshot taken at its first read: read them afresh
            statement.execute("SELECT pg_stat_clear_snapshot()");
            try (java.sql.ResultSet row = statement.executeQuery(
                    "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
            }
        } catch (java.sql.SQLException e) {
            return OptionalLong.empty();
        }
    }

    /** The sum of the query side's read models' lags, or empty when it exports none. */
    private OptionalDouble readModelLag(SystemUnderTest system) throws IOException, InterruptedException {
        return Prometheus.sum(http.get(system.queryUrl().resolve("/actuator/prometheus")).body(), LAG);
    }

    private void memoryRow(Configuration configuration, SystemUnderTest system, long events, HeapSampler heap) {
        String scenario = "memory, during the " + count(events) + " import";
        OptionalLong hwm = system.pid().isPresent() ? ProcStatus.peakResidentBytes(system.pid().getAsLong())
                : OptionalLong.empty();
        String heapLimit = options.external() ? "its own settings" : String.join(" ", options.systemJavaOptions());
        String figure = (hwm.isPresent() ? "peak RSS " + mib(hwm.getAsLong()) : "peak RSS unknown (no --pid)")
                + (heap.max() > 0 ? ", heap used ≤ " + mib(heap.max()) : "");
        boolean met = heap.max() > 0 && heap.max() <= 2L << 30;
        add(new Row(scenario, configuration.label(), figure, "heap limit " + heapLimit, "—", "heap ≤ 2 GiB",
                heap.max() > 0 ? verdict(met) : "heap not sampled"));
    }

    /** The buckets of the relay's stored→acked histogram (empty when no side exposes it). */
    private NavigableMap<Double, Double> relayLatency(SystemUnderTest system) {
        for (URI side : List.of(system.commandUrl(), system.queryUrl())) {
            try {
                NavigableMap<Double, Double> buckets = Prometheus.buckets(
                        http.get(side.resolve("/actuator/prometheus")).body(), KAFKA_LATENCY);
                if (!buckets.isEmpty()) {
                    return buckets;
                }
            } catch (IOException | InterruptedException e) {
                return new TreeMap<>();
            }
        }
        return new TreeMap<>();
    }

    /** The relay's count of records Kafka acknowledged, from whichever side of the system runs the relay. */
    private OptionalDouble relayPublished(SystemUnderTest system) {
        for (URI side : List.of(system.commandUrl(), system.queryUrl())) {
            try {
                Http.Answer answer = http.get(side.resolve("/actuator/prometheus"));
                OptionalDouble value = Prometheus.sample(answer.body(), KAFKA_PUBLISHED);
                if (value.isPresent()) {
                    return value;
                }
            } catch (IOException | InterruptedException e) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * The relay's rate over the import (from before it started until the relay has published all of it, or has
     * stopped making progress for a minute) and its stored→acked p99. Needs the relay's metrics (issue 4).
     */
    private void relayRow(Configuration configuration, SystemUnderTest system, OptionalDouble before,
                          NavigableMap<Double, Double> latencyBefore, long accepted,
                          long startedNanos) throws Exception {
        String scenario = "Kafka relay";
        if (before.isEmpty()) {
            add(Row.skipped(scenario, configuration.label(), "not available: the system exports no "
                    + KAFKA_PUBLISHED + " metric (the relay of issue 4 is not in this build)"));
            return;
        }
        double target = before.getAsDouble() + accepted;
        double last = before.getAsDouble();
        long lastProgress = System.nanoTime();
        while (last < target && System.nanoTime() - lastProgress < Duration.ofMinutes(1).toNanos()) {
            Thread.sleep(500);
            double now = relayPublished(system).orElse(last);
            if (now > last) {
                last = now;
                lastProgress = System.nanoTime();
            }
        }
        double seconds = (lastProgress - startedNanos) / 1e9;
        Measurement measured = Measurement.rate((long) (last - before.getAsDouble()), seconds);
        String latency = "";
        OptionalDouble p99 = Prometheus.quantileBetween(latencyBefore, relayLatency(system), 0.99);
        if (p99.isPresent()) {
            latency = Double.isInfinite(p99.getAsDouble()) ? ", stored→acked p99 beyond the histogram's last bucket"
                    : String.format(Locale.ROOT, ", stored→acked p99 ≤ %s ms", Measurement.ms(p99.getAsDouble() * 1000));
        }
        add(new Row(scenario, configuration.label(), measured.describe("events") + latency, "—", "—", "—",
                last < target ? "published " + count((long) (last - before.getAsDouble())) + " of " + count(accepted)
                        : "caught up"));
    }

    // ---- read models: catch-up, queries, rebuild ----

    /** Waits until every read model has applied every stored event (the query side's lag metric reaches 0). */
    private void awaitReadModels(SystemUnderTest system) throws Exception {
        long started = System.nanoTime();
        long deadline = started + options.catchUpTimeout().toNanos();
        log.printf("-- waiting for the read models to catch up…%n");
        while (System.nanoTime() < deadline) {
            OptionalDouble lag = readModelLag(system);
            if (lag.isEmpty() || lag.getAsDouble() == 0) {
                log.printf("   caught up after %.0f s%n", (System.nanoTime() - started) / 1e9);
                return;
            }
            Thread.sleep(1000);
        }
        log.printf("   still behind after %s; going on%n", options.catchUpTimeout());
    }

    private void queries(Configuration configuration, SystemUnderTest system) throws Exception {
        String size = loadedEvents > 0 ? " (" + count(loadedCustomers) + " customers, " + count(loadedEvents)
                + " events)" : options.timelineCustomers() != null
                ? " (" + count(options.timelineCustomers().count()) + " customers)" : "";
        URI query = system.queryUrl();
        String timelinePrefix = loadedPrefix;
        long timelineCustomers = Math.max(1, loadedCustomers);
        Map<String, java.util.function.Supplier<URI>> queries = new java.util.LinkedHashMap<>();
        queries.put("funnel", () -> query.resolve("/api/v1/funnel"));
        queries.put("funnel, region and channel filter",
                () -> query.resolve("/api/v1/funnel?region=east&channel=referral"));
        if (timelinePrefix != null) {
            queries.put("timeline", () -> query.resolve("/api/v1/customers/"
                    + URLEncoder.encode(timelinePrefix + "c-" + ThreadLocalRandom.current().nextLong(timelineCustomers),
                    StandardCharsets.UTF_8) + "/timeline"));
        } else if (options.timelineCustomers() != null) {
            BenchOptions.Customers customers = options.timelineCustomers();
            queries.put("timeline", () -> query.resolve("/api/v1/customers/" + URLEncoder.encode(
                    customers.id(1 + ThreadLocalRandom.current().nextLong(customers.count())), StandardCharsets.UTF_8)
                    + "/timeline"));
        } else {
            add(Row.skipped("query timeline", configuration.label(), "needs imported customers: run the import "
                    + "scenario, or name stored ones with --timeline-customers"));
        }
        queries.put("attribution, linear", () -> query.resolve("/api/v1/attribution?model=linear"));
        for (Map.Entry<String, java.util.function.Supplier<URI>> entry : queries.entrySet()) {
            String scenario = "query " + entry.getKey() + size;
            Http.Answer probe = http.get(entry.getValue().get());
            if (probe.status() == 404 && entry.getKey().startsWith("attribution")) {
                add(Row.skipped(scenario, configuration.label(), "no attribution endpoint in this build (404)"));
                continue;
            }
            if (probe.status() != 200) {
                add(Row.skipped(scenario, configuration.label(), "answered HTTP " + probe.status() + ": "
                        + probe.body().lines().findFirst().orElse("")));
                continue;
            }
            log.printf("-- %s, 8 clients…%n", scenario);
            Measurement measured = Load.run(8, options.warmup(), options.duration(), client -> () ->
                    http.get(entry.getValue().get()).status() == 200);
            add(new Row(scenario, configuration.label(), measured.describe("queries"), "—", "—", "p99 < 50 ms",
                    verdict(measured.p99() < 50 && measured.failures() == 0)));
        }
    }

    /**
     * Issue 18: one rep-month ({@code GET /api/v1/reps/{id}/health}, target p99 < 50 ms) and the ranking of every rep
     * for a month ({@code GET /api/v1/health?groupBy=rep}, target p99 < 200 ms) at 1 and 8 clients, as the harness's
     * admin (scope: every rep). Each request takes a random month of the data's two years (generated data and
     * {@code sql/load-events.sql} both start on 2024-01-01) and, for a rep-month, a random rep of those the ranking
     * of the whole two years lists.
     */
    private void health(Configuration configuration, SystemUnderTest system) throws Exception {
        URI query = system.queryUrl();
        Http.Answer all = http.get(query.resolve("/api/v1/health?groupBy=rep&from=2024-01-01&to=2026-01-01"));
        if (all.status() != 200) {
            add(Row.skipped("health", configuration.label(), "the ranking answered HTTP " + all.status() + ": "
                    + all.body().lines().findFirst().orElse("")));
            return;
        }
        List<String> reps = new ArrayList<>();
        all.json().path("groups").forEach(group -> reps.add(group.path("key").asText()));
        if (reps.isEmpty()) {
            add(Row.skipped("health", configuration.label(), "no rep in the store: import data first"));
            return;
        }
        String size = " (" + count(reps.size()) + " reps" + (loadedEvents > 0 ? ", " + count(loadedEvents)
                + " events" : "") + ")";
        java.util.function.Supplier<String> month = () -> {
            java.time.YearMonth m = java.time.YearMonth.of(2024, 1).plusMonths(ThreadLocalRandom.current().nextInt(24));
            return "from=" + m.atDay(1) + "&to=" + m.plusMonths(1).atDay(1);
        };
        Map<String, java.util.function.Supplier<URI>> requests = new java.util.LinkedHashMap<>();
        requests.put("health of one rep-month", () -> query.resolve("/api/v1/reps/" + URLEncoder.encode(
                reps.get(ThreadLocalRandom.current().nextInt(reps.size())), StandardCharsets.UTF_8) + "/health?"
                + month.get()));
        requests.put("health ranking by rep, one month", () -> query.resolve("/api/v1/health?groupBy=rep&"
                + month.get()));
        for (Map.Entry<String, java.util.function.Supplier<URI>> entry : requests.entrySet()) {
            boolean ranking = entry.getKey().contains("ranking");
            double target = ranking ? 200 : 50;
            for (int clients : List.of(1, 8)) {
                String scenario = entry.getKey() + size + ", " + clients + (clients == 1 ? " client" : " clients");
                log.printf("-- %s…%n", scenario);
                Measurement measured = Load.run(clients, options.warmup(), options.duration(), client -> () ->
                        http.get(entry.getValue().get()).status() == 200);
                add(new Row(scenario, configuration.label(), measured.describe("queries"), "—", "—",
                        String.format(Locale.ROOT, "p99 < %.0f ms", target),
                        verdict(measured.p99() < target && measured.failures() == 0)));
            }
        }
    }

    private void rebuilds(Configuration configuration, SystemUnderTest system, Baselines baselines)
            throws Exception {
        for (String model : options.readModels()) {
            String scenario = "rebuild " + model;
            Http.Answer started = http.post(system.queryUrl().resolve("/api/v1/admin/rebuilds/" + model));
            if (started.status() != 202) {
                add(Row.skipped(scenario, configuration.label(), "the system has no read model '" + model
                        + "' (HTTP " + started.status() + ")"));
                continue;
            }
            log.printf("-- %s…%n", scenario);
            long t0 = System.nanoTime();
            JsonNode status = started.json().isArray() ? started.json().get(0) : started.json();
            while (!"DONE".equals(status.path("state").asText()) && !"FAILED".equals(status.path("state").asText())) {
                Thread.sleep(1000);
                status = http.get(system.queryUrl().resolve("/api/v1/admin/rebuilds/" + model)).json();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if ("FAILED".equals(status.path("state").asText())) {
                add(new Row(scenario, configuration.label(), "failed", "—", "—", "≥ 50,000 events/s",
                        status.path("message").asText()));
                continue;
            }
            Measurement measured = Measurement.rate(status.path("eventsTotal").asLong(), seconds);
            log.printf("   %s; baseline, sequential read of the event table…%n", measured.describe("events"));
            Measurement baseline = baselines.sequentialRead(1000);
            String figure = measured.describe("events") + " (" + count(measured.count()) + " events)";
            add(new Row(scenario + ", " + count(measured.count()) + " events", configuration.label(), figure,
                    "sequential read " + baseline.describe("rows"), ratio(measured, baseline),
                    "≥ 50,000 events/s", verdict(measured.perSecond() >= 50_000)));
        }
    }

    // ---- rows ----

    private void ratioRow(String scenario, Configuration configuration, Measurement measured, String unit,
                          Measurement baseline, String baselineUnit, String target, boolean met) {
        String verdict = verdict(met);
        double ratio = measured.perSecond() / baseline.perSecond();
        // an import on Axon's defaults is compared with the tuned one whatever their sizes (--defaults-import-size)
        String compared = scenario.replaceFirst("^import, .+? events", "import");
        if (configuration == Configuration.TUNED) {
            tuned.put(compared, Measurement.rate(Math.round(ratio * 1_000_000), 1));
        } else if (tuned.containsKey(compared)) {
            // ratios, not rates: the two configurations run minutes apart on a machine whose speed changes
            verdict += String.format(Locale.ROOT, "; tuned's ratio is %.1f× this one", tuned.get(compared).count()
                    / 1e6 / ratio);
        }
        add(new Row(scenario, configuration.label(), measured.describe(unit), baseline.describe(baselineUnit),
                ratio(measured, baseline), target, verdict));
    }

    private void add(Row row) {
        table.add(row);
        log.printf("   => %s | %s | %s | baseline %s | ratio %s | %s%n", row.scenario(), row.configuration(),
                row.figure(), row.baseline(), row.ratio(), row.verdict());
    }

    private static String ratio(Measurement measured, Measurement baseline) {
        return String.format(Locale.ROOT, "%.2f", measured.perSecond() / baseline.perSecond());
    }

    private static String verdict(boolean met) {
        return met ? "met" : "missed";
    }

    static String count(long n) {
        if (n >= 1_000_000 && n % 100_000 == 0) {
            return String.format(Locale.ROOT, "%s M", n % 1_000_000 == 0 ? Long.toString(n / 1_000_000)
                    : String.format(Locale.ROOT, "%.1f", n / 1e6));
        }
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    /** Samples the system's heap in use every 2 s (Micrometer's jvm.memory.used, area heap). */
    private final class HeapSampler {
        private final SystemUnderTest system;
        private final AtomicLong max = new AtomicLong();
        private volatile boolean running;
        private Thread thread;

        HeapSampler(SystemUnderTest system) {
            this.system = system;
        }

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            try {
                JsonNode metric = http.get(system.commandUrl().resolve(
                        "/actuator/metrics/jvm.memory.used?tag=area:heap")).json();
                long used = metric.path("measurements").path(0).path("value").asLong();
                max.accumulateAndGet(used, Math::max);
            } catch (Exception ignored) {
                // a missed sample is not a failure of the import
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            sample();
        }

        long max() {
            return max.get();
        }
    }

    List<Row> rows() {
        return new ArrayList<>(table.rows());
    }
}
