package org.salesledger.bench.harness;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How to run: which scenarios, at which sizes, against which system. The full run's sizes are the (1 and
 * 10 million events imported, 1, 8 and 32 clients for 20 s each); {@code --quick} shrinks everything to seconds.
 */
public record BenchOptions(Set<Scenario> scenarios, boolean quick, List<Integer> clients, Duration warmup,
                           Duration duration, List<Long> importSizes, long defaultsImportSize,
                           List<String> readModels, boolean compareDefaults, boolean compareTokens, URI url,
                           URI queryUrl,
                           Database database, Long pid, Path dataDir, List<String> systemJavaOptions, Path out,
                           Duration catchUpTimeout, Customers timelineCustomers) {

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

    public static final String USAGE = """
            usage: salesledger bench [SCENARIO…] [--quick] [options]

              scenarios (all when none is named): command, import, queries, rebuild, kafka, memory
              --quick                    tiny sizes, seconds per scenario (what CI runs)
              --clients 1,8,32           concurrency of the command path
              --duration 20              seconds measured per load step (after a warm-up of a quarter of it)
              --import-sizes 1000000,10000000
                                         events per import (tuned configuration)
              --defaults-import-size N   events imported on Axon's defaults (default: the first import size)
              --read-models timeline,funnel,attribution,worklists,talktrack
                                         read models to rebuild (those the system does not have are skipped)
              --no-axon-defaults         do not run the comparison with Axon's default configuration
              --no-token-comparison      do not run the command path again without the token check
              --data-dir DIR             where the harness keeps its PostgreSQL, systems and data
                                         (default: $SALESLEDGER_DATA_DIR, else ./.salesledger-bench); wiped first
              --system-java-opts "-Xmx2g"  JVM options of the system under test
              --out FILE                 also write the results as Markdown (default DATA_DIR/results.md)
              against a system that is already running (no comparison with Axon's defaults then):
              --url http://localhost:8081 --query-url http://localhost:8082
              --jdbc URL [--jdbc-user U] [--jdbc-password P]   its database (printed by `salesledger run`)
              --pid PID                  its process, for the memory scenario
              --timeline-customers bench-%d:1000000
                                         customers whose timelines the queries scenario asks for when the run
                                         imported none (ids: the format with 1…COUNT; e.g. a store loaded by
                                         infra/bench/sql/load-events.sql)
            """;

    public static BenchOptions parse(String[] args, java.util.Map<String, String> env) {
        Set<Scenario> scenarios = EnumSet.noneOf(Scenario.class);
        boolean quick = false;
        List<Integer> clients = null;
        Integer seconds = null;
        List<Long> importSizes = null;
        Long defaultsImport = null;
        List<String> models = List.of("timeline", "funnel", "attribution", "worklists", "talktrack");
        boolean compare = true;
        boolean compareTokens = true;
        URI url = null;
        URI queryUrl = null;
        String jdbc = null;
        String jdbcUser = null;
        String jdbcPassword = null;
        Long pid = null;
        String dataDir = env.getOrDefault("SALESLEDGER_DATA_DIR", "./.salesledger-bench");
        List<String> javaOptions = List.of("-Xmx2g");
        String out = null;
        Customers timelineCustomers = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                scenarios.add(Scenario.parse(arg));
                continue;
            }
            if (arg.equals("--quick")) {
                quick = true;
                continue;
            }
            if (arg.equals("--no-axon-defaults")) {
                compare = false;
                continue;
            }
            if (arg.equals("--no-token-comparison")) {
                compareTokens = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            try {
                switch (arg) {
                    case "--clients" -> clients = Arrays.stream(value.split(",")).map(String::trim)
                            .map(Integer::parseInt).toList();
                    case "--duration" -> seconds = Integer.parseInt(value);
                    case "--import-sizes" -> importSizes = Arrays.stream(value.split(",")).map(String::trim)
                            .map(s -> Long.parseLong(s.replace("_", ""))).toList();
                    case "--defaults-import-size" -> defaultsImport = Long.parseLong(value.replace("_", ""));
                    case "--read-models" -> models = Arrays.stream(value.split(",")).map(String::trim).toList();
                    case "--url" -> url = URI.create(value);
                    case "--query-url" -> queryUrl = URI.create(value);
                    case "--jdbc" -> jdbc = value;
                    case "--jdbc-user" -> jdbcUser = value;
                    case "--jdbc-password" -> jdbcPassword = value;
                    case "--pid" -> pid = Long.parseLong(value);
                    case "--data-dir" -> dataDir = value;
                    case "--system-java-opts" -> javaOptions = value.isBlank() ? List.of()
                            : List.of(value.trim().split("\\s+"));
                    case "--out" -> out = value;
                    case "--timeline-customers" -> timelineCustomers = Customers.parse(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(arg + " got '" + value + "': not a number");
            }
        }
        if (scenarios.isEmpty()) {
            scenarios = EnumSet.allOf(Scenario.class);
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
        }
        Path dir = Path.of(dataDir).toAbsolutePath().normalize();
        return new BenchOptions(scenarios, quick, clients, Duration.ofMillis(Math.max(500, measured * 250L)),
                Duration.ofSeconds(measured), importSizes, defaultsSize, models, compare, compareTokens, url, queryUrl,
                database,
                pid, dir, javaOptions, out == null ? dir.resolve("results.md") : Path.of(out),
                quick ? Duration.ofMinutes(3) : Duration.ofHours(2), timelineCustomers);
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
}
