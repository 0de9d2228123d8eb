package org.salesledger.bench.harness;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How to run: which scenarios, at which sizes, against which system. The full run's sizes are the (1 and
 * 10 million events imported, 1, 8 and 32 clients for 20 s each, a synthetic audit tree of 10 million leaves, one
 * customer of 10,000 actions; the nodes scenario: a store of 200,000 events caught up by 1, 2 and 3 query nodes);
 * {@code --quick} shrinks everything to seconds.
 */
public record BenchOptions(Set<Scenario> scenarios, boolean quick, List<Integer> clients, Duration warmup,
                           Duration duration, List<Long> importSizes, long defaultsImportSize,
                           List<String> readModels, boolean compareDefaults, boolean compareTokens, URI url,
                           URI queryUrl,
                           Database database, Long pid, Path dataDir, List<String> systemJavaOptions, Path out,
                           Duration catchUpTimeout, Customers timelineCustomers, boolean compareAudit,
                           long syntheticLeaves, int stateActions, long nodesEvents, List<Integer> nodeCounts) {

    /** Customer ids {@code format} with a number from 1 to {@code count} in place of its {@code %d}. */
    public record Customers(String format, long count) {
        static Customers parse(String value) {
            int colon = value.lastIndexOf(':');
            if (colon < 0 || !value.substring(0, colon).contains("%d")) {
                throw new IllegalArgumentException("--timeline-customers needs FORMAT:COUNT with %d in the format, "
                        + "e.g. bench-%d:1000000; got '" + value + "'");
            }
            long count = Long.parseLong(value.substring(colon + 1).replace("_", ""));
            if (count < 1) {
                throw new IllegalArgumentException("--timeline-customers needs a positive count; got " + count);
            }
            return new Customers(value.substring(0, colon), count);
        }

        String id(long number) {
            return String.format(java.util.Locale.ROOT, format, number);
        }
    }

    /**
     * Segments of every streaming processor in the nodes scenario, set on each of its nodes whatever the system's
     * default (ADR 0037, 0043): the most nodes of a side that can share one.
     */
    static final int SEGMENTS = 8;

    /** The read models a rebuild scenario rebuilds unless told which (the launcher gives the system's own list). */
    public static final List<String> READ_MODELS = List.of("timeline", "funnel", "attribution", "worklists",
            "talktrack", "health");

    /**
     * Reads the arguments of {@code salesledger bench} (its options are {@link BenchCommand}'s); anything it cannot
     * use is refused with an {@link IllegalArgumentException} whose message names the option.
     */
    public static BenchOptions parse(String[] args, java.util.Map<String, String> env) {
        BenchCommand command = new BenchCommand(List.of(), null, null, env, READ_MODELS);
        try {
            command.commandLine().parseArgs(args);
        } catch (picocli.CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return command.options();
    }

    /** The options of a run, checked and completed with their defaults. */
    static BenchOptions of(List<Scenario> scenarioList, boolean quick, List<Integer> clients, Integer seconds,
                           List<Long> importSizes, Long defaultsImport, List<String> models, boolean compare,
                           boolean compareTokens, URI url, URI queryUrl, String jdbc, String jdbcUser,
                           String jdbcPassword, Long pid, String dataDir, List<String> javaOptions, String out,
                           Customers timelineCustomers, boolean compareAudit, Long syntheticLeaves,
                           Integer stateActions, Long nodesEvents, List<Integer> nodeCounts) {
        Set<Scenario> scenarios = EnumSet.noneOf(Scenario.class);
        if (scenarioList == null || scenarioList.isEmpty()) {
            for (Scenario scenario : Scenario.values()) {
                if (scenario.byDefault()) {
                    scenarios.add(scenario);
                }
            }
        } else {
            scenarios.addAll(scenarioList);
        }
        if (clients == null) {
            clients = List.of(1, 8, 32);
        }
        if (clients.stream().anyMatch(c -> c < 1 || c > 512)) {
            throw new IllegalArgumentException("--clients must be between 1 and 512");
        }
        int measured = seconds != null ? seconds : quick ? 2 : 20;
        if (measured < 1) {
            throw new IllegalArgumentException("--duration must be at least 1 second");
        }
        if (importSizes == null) {
            importSizes = quick ? List.of(2_000L) : List.of(1_000_000L, 10_000_000L);
        }
        if (importSizes.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--import-sizes must be positive");
        }
        long defaultsSize = defaultsImport != null ? defaultsImport : importSizes.get(0);
        Database database = null;
        if (url != null || jdbc != null) {
            if (url == null || jdbc == null) {
                throw new IllegalArgumentException("a running system needs both --url and --jdbc (its database, "
                        + "printed by `salesledger run`), for the baselines run on the same PostgreSQL");
            }
            if (queryUrl == null) {
                queryUrl = URI.create(url.getScheme() + "://" + url.getHost() + ":" + (url.getPort() + 1));
            }
            database = new Database(jdbc, jdbcUser, jdbcPassword);
            compare = false;
            compareTokens = false;
            compareAudit = false;
        }
        long leaves = syntheticLeaves != null ? syntheticLeaves : quick ? 10_000 : 10_000_000;
        if (leaves < 1) {
            throw new IllegalArgumentException("--synthetic-leaves must be positive");
        }
        int actions = stateActions != null ? stateActions : quick ? 1_000 : 10_000;
        if (actions < 2) {
            throw new IllegalArgumentException("--state-actions must be at least 2");
        }
        long loaded = nodesEvents != null ? nodesEvents : quick ? 5_000 : 200_000;
        if (loaded < 1) {
            throw new IllegalArgumentException("--nodes-events must be positive");
        }
        if (nodeCounts == null) {
            nodeCounts = quick ? List.of(1, 2) : List.of(1, 2, 3);
        }
        if (nodeCounts.isEmpty() || nodeCounts.stream().anyMatch(n -> n == null || n < 1 || n > SEGMENTS)) {
            throw new IllegalArgumentException("--node-counts must be between 1 and " + SEGMENTS
                    + " (each processor has " + SEGMENTS + " segments: more nodes would idle)");
        }
        Path dir = Path.of(dataDir).toAbsolutePath().normalize();
        return new BenchOptions(scenarios, quick, clients, Duration.ofMillis(Math.max(500, measured * 250L)),
                Duration.ofSeconds(measured), importSizes, defaultsSize, models, compare, compareTokens, url, queryUrl,
                database,
                pid, dir, javaOptions, out == null ? dir.resolve("results.md") : Path.of(out),
                quick ? Duration.ofMinutes(3) : Duration.ofHours(2), timelineCustomers, compareAudit, leaves, actions,
                loaded, List.copyOf(nodeCounts));
    }

    boolean external() {
        return url != null;
    }

    List<Configuration> configurations() {
        List<Configuration> configurations = new ArrayList<>(List.of(Configuration.TUNED));
        if (compareDefaults && (scenarios.contains(Scenario.COMMAND) || scenarios.contains(Scenario.IMPORT))) {
            configurations.add(Configuration.AXON_DEFAULTS);
        }
        if (compareTokens && scenarios.contains(Scenario.COMMAND)) {
            configurations.add(Configuration.WITHOUT_TOKENS);
        }
        return configurations;
    }

    /**
     * Whether the run measures the audit tree's cost: the command path and the import on two systems, with and
     * without the tree, alternating (issue 19).
     */
    boolean pairsAudit() {
        return compareAudit && (scenarios.contains(Scenario.COMMAND) || scenarios.contains(Scenario.IMPORT));
    }
}
