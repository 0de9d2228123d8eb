package org.salesledger.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.salesledger.infra.embedded.EmbeddedKafkaServer;
import org.salesledger.infra.embedded.EmbeddedPostgresServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code salesledger bench [SCENARIO…] [--quick] …}: runs the scenarios and their baselines, prints the table and
 * writes it as Markdown. By default the harness starts everything itself under its data directory: an embedded
 * PostgreSQL (fsync on, as `salesledger run` has it), then for each configuration a fresh database and the whole
 * system in a JVM of its own on it. With {@code --url … --jdbc …} it measures a system that is already running.
 * Its options are the one definition of {@link BenchOptions#parse}.
 */
@Command(name = "bench", sortOptions = false,
        description = {"Measure the system against raw PostgreSQL in the same run: each scenario beside its "
                + "baseline, then the command path and the import on Axon's defaults, without the token check and "
                + "with and without the audit tree.",
                "Starts its own PostgreSQL and the system in a JVM of its own; with --url and --jdbc, measures a "
                + "system that is already running (no comparisons then).",
                "The nodes scenario, run only when named, loads a store once and times the read models' catch-up on "
                + "1, 2 and 3 query nodes (--role query), each a JVM of its own on a copy of that store, then the "
                + "import through as many command nodes."},
        footer = {"", "Example: salesledger bench --quick; salesledger bench command import; salesledger bench nodes"})
public final class BenchCommand implements Callable<Integer> {

    private static final String MARKER = ".salesledger-bench";

    @Parameters(paramLabel = "SCENARIO", arity = "0..*", completionCandidates = ScenarioNames.class,
            description = "scenarios to run, all but nodes when none is named: ${COMPLETION-CANDIDATES}")
    List<String> scenarios;

    @Option(names = "--quick", description = "tiny sizes, seconds per scenario (what CI runs)")
    boolean quick;

    @Option(names = "--clients", paramLabel = "1,8,32", split = ",",
            description = "concurrency of the command path (default: 1,8,32)")
    List<Integer> clients;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "seconds measured per load step, after a warm-up of a quarter of it (default: 20; 2 with "
                    + "--quick)")
    Integer seconds;

    @Option(names = "--import-sizes", paramLabel = "N,N", split = ",", converter = Count.class,
            description = "events per import, tuned configuration (default: 1000000,10000000; 2000 with --quick)")
    List<Long> importSizes;

    @Option(names = "--defaults-import-size", paramLabel = "N", converter = Count.class,
            description = "events imported on Axon's defaults (default: the first import size)")
    Long defaultsImport;

    @Option(names = "--read-models", paramLabel = "M,M", split = ",",
            description = "read models to rebuild (default: ${DEFAULT-VALUE}); those the system does not have are "
                    + "skipped")
    List<String> readModels;

    @Option(names = "--no-axon-defaults", description = "do not run the comparison with Axon's default configuration")
    boolean noAxonDefaults;

    @Option(names = "--no-token-comparison", description = "do not run the command path again without the token check")
    boolean noTokenComparison;

    @Option(names = "--no-audit-comparison",
            description = "do not run the command path and the import on a pair of systems with and without the audit tree")
    boolean noAuditComparison;

    @Option(names = "--synthetic-leaves", paramLabel = "N", converter = Count.class,
            description = "leaves of the synthetic audit tree the proofs scenario times proofs in (default: 10000000; "
                    + "10000 with --quick)")
    Long syntheticLeaves;

    @Option(names = "--state-actions", paramLabel = "N", converter = Count.class,
            description = "actions of the one customer whose state and changes the state scenario asks for (default: "
                    + "10000; 1000 with --quick)")
    Long stateActions;

    @Option(names = "--nodes-events", paramLabel = "N", converter = Count.class,
            description = "events of the store the nodes scenario loads once and copies for each number of query "
                    + "nodes (default: 200000; 5000 with --quick)")
    Long nodesEvents;

    @Option(names = "--node-counts", paramLabel = "1,2,3", split = ",",
            description = "numbers of query nodes the nodes scenario times the read models' catch-up on, each node "
                    + "capped at ceil(8 / N) segments per processor (default: 1,2,3; 1,2 with --quick)")
    List<Integer> nodeCounts;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "where the harness keeps its PostgreSQL, systems and data, wiped first (default: "
                    + "$SALESLEDGER_DATA_DIR, else ./.salesledger-bench)")
    String dataDir;

    @Option(names = "--system-java-opts", paramLabel = "OPTS", defaultValue = "-Xmx2g",
            description = "JVM options of the system under test (default: ${DEFAULT-VALUE})")
    String systemJavaOptions;

    @Option(names = "--out", paramLabel = "FILE",
            description = "also write the results as Markdown (default: DATA_DIR/results.md)")
    String out;

    @Option(names = "--url", paramLabel = "URL", description = "a running system's command side (with --jdbc); "
            + "signs in with the admin client in $SALESLEDGER_DATA_DIR, else ./.salesledger, whatever --data-dir says")
    URI url;

    @Option(names = "--query-url", paramLabel = "URL", description = "its query side (default: the --url port + 1)")
    URI queryUrl;

    @Option(names = "--jdbc", paramLabel = "URL", description = "its database (printed by `salesledger run`)")
    String jdbc;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "its database user")
    String jdbcUser;

    @Option(names = "--jdbc-password", paramLabel = "PASSWORD", description = "its database password")
    String jdbcPassword;

    @Option(names = "--pid", paramLabel = "PID", description = "its process, for the memory scenario")
    Long pid;

    @Option(names = "--timeline-customers", paramLabel = "FORMAT:COUNT", converter = CustomersFormat.class,
            description = "customers whose timelines the queries scenario asks for when the run imported none (ids: "
                    + "the format with 1..COUNT, e.g. bench-%%d:1000000 for a store loaded by "
                    + "infra/bench/sql/load-events.sql)")
    BenchOptions.Customers timelineCustomers;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    private final List<String> launch;
    private final PrintStream stdout;
    private final PrintStream stderr;
    private final Map<String, String> env;
    private final List<String> allReadModels;

    /**
     * The command: {@code launch} is how a system is started ({@code -jar salesledger.jar} or {@code -cp …
     * MainClass}); {@code allReadModels} the read models a rebuild scenario rebuilds unless told which.
     */
    public BenchCommand(List<String> launch, PrintStream out, PrintStream err, Map<String, String> env,
                        List<String> allReadModels) {
        this.launch = launch;
        this.stdout = out;
        this.stderr = err;
        this.env = env;
        this.allReadModels = List.copyOf(allReadModels);
    }

    /** This command's {@link CommandLine}, with the default read models filled in. */
    public CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(this);
        commandLine.setDefaultValueProvider(arg -> arg instanceof CommandLine.Model.OptionSpec option
                && option.longestName().equals("--read-models") ? String.join(",", allReadModels) : null);
        return commandLine;
    }

    /** The options given, checked; an {@link IllegalArgumentException} naming the option for one it cannot use. */
    BenchOptions options() {
        List<String> models = readModels == null ? allReadModels : readModels.stream().map(String::trim).toList();
        String dir = dataDir != null ? dataDir : env.getOrDefault("SALESLEDGER_DATA_DIR", "./.salesledger-bench");
        List<String> javaOptions = systemJavaOptions.isBlank() ? List.of()
                : List.of(systemJavaOptions.trim().split("\\s+"));
        List<Scenario> named = scenarios == null ? List.of() : scenarios.stream().map(Scenario::parse).toList();
        return BenchOptions.of(named, quick, clients, seconds, importSizes, defaultsImport, models,
                !noAxonDefaults, !noTokenComparison, url, queryUrl, jdbc, jdbcUser, jdbcPassword, pid, dir,
                javaOptions, out, timelineCustomers, !noAuditComparison, syntheticLeaves,
                stateActions == null ? null : (int) Math.min(Integer.MAX_VALUE, stateActions), nodesEvents,
                nodeCounts);
    }

    /** Exit code 0 when the run completed (whether or not targets were met), 1 on failure; bad options: 2. */
    @Override
    public Integer call() {
        BenchOptions options;
        try {
            options = options();
            List.of("SALESLEDGER_COMMAND_PORT", "SALESLEDGER_QUERY_PORT", "SALESLEDGER_KAFKA_PORT")
                    .forEach(BenchCommand::port);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        String[] args = ownArguments(spec.commandLine().getParseResult().originalArgs(), spec.name(),
                spec.parent() != null);
        try {
            ResultsTable table = options.external() ? runAgainstRunning(options, stdout)
                    : runManaged(options, launch, Map.of(), stdout);
            stdout.println();
            stdout.print(table.text());
            String markdown = markdown(options, args, table);
            Files.createDirectories(options.out().toAbsolutePath().getParent());
            Files.writeString(options.out(), markdown);
            stdout.println();
            stdout.println("written to " + options.out());
            return 0;
        } catch (Exception e) {
            stderr.println("the benchmark failed: " + e);
            e.printStackTrace(stderr);
            return 1;
        }
    }

    /** The scenarios' names on the command line ({@code command}, {@code import}, …). */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Scenario.values()).map(Scenario::cliName).iterator();
        }
    }

    /** A count, with {@code _} allowed between digits ({@code 1_000_000}). */
    static final class Count implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
            }
        }
    }

    /** {@code FORMAT:COUNT}, see {@link BenchOptions.Customers}. */
    static final class CustomersFormat implements CommandLine.ITypeConverter<BenchOptions.Customers> {
        @Override
        public BenchOptions.Customers convert(String value) {
            try {
                return BenchOptions.Customers.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static ResultsTable runAgainstRunning(BenchOptions options, PrintStream log) throws Exception {
        // contract §7: a client of the running system, or the admin client of its data directory
        String id = System.getenv("SALESLEDGER_CLIENT_ID");
        String secret = System.getenv("SALESLEDGER_CLIENT_SECRET");
        if (id != null && secret != null) {
            String tokenUrl = System.getenv("SALESLEDGER_TOKEN_URL");
            Http.signIn(tokenUrl != null ? tokenUrl : options.url().resolve("/oauth2/token").toString(), id, secret);
        } else {
            String dir = System.getenv("SALESLEDGER_DATA_DIR");
            Http.signIn(java.nio.file.Path.of(dir != null ? dir : "./.salesledger"));
        }
        SystemUnderTest running = new RunningSystem(options.url(), options.queryUrl(), options.database(),
                options.pid() == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(options.pid()));
        Files.createDirectories(options.dataDir());
        return new BenchRun(options, (configuration, database) -> running, configuration -> options.database(), log)
                .run();
    }

    /** Starts an embedded PostgreSQL under the data directory and the systems as child JVMs. */
    public static ResultsTable runManaged(BenchOptions options, List<String> launch, Map<String, String> env,
                                          PrintStream log) throws Exception {
        prepare(options.dataDir());
        ChildProcessSystem.Ports ports = new ChildProcessSystem.Ports(
                port("SALESLEDGER_COMMAND_PORT"), port("SALESLEDGER_QUERY_PORT"), port("SALESLEDGER_KAFKA_PORT"));
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(options.dataDir().resolve("postgres"), 0);
             EmbeddedKafkaServer kafka = sharedKafka(options, env, log)) {
            log.printf("PostgreSQL for the benchmark: %s%n", postgres.jdbcUrl());
            SystemStarter starter = ChildProcessSystem.starter(launch, options.systemJavaOptions(), ports,
                    options.dataDir(), env);
            NodeStarter nodes = null;
            if (needsNodes(options)) {
                Map<String, String> shared = new java.util.HashMap<>(env);
                shared.put(KAFKA_BOOTSTRAP, kafka != null ? kafka.bootstrapServers() : givenKafka(env));
                nodes = ChildProcessSystem.nodes(launch, options.systemJavaOptions(),
                        options.dataDir().resolve("nodes"), shared);
            }
            return new BenchRun(options, starter, nodes, configuration -> {
                String name = "bench_" + configuration.name().toLowerCase(Locale.ROOT);
                postgres.createDatabase(name);
                return new Database(postgres.jdbcUrl(name), postgres.user(), postgres.password());
            }, log).run();
        }
    }

    /**
     * The Kafka the nodes of the nodes scenario (and the import's command node alone) share: an embedded broker in
     * the harness's JVM under the data directory, unless the environment names one
     * ({@code SALESLEDGER_KAFKA_BOOTSTRAP}); null when none is needed.
     */
    private static EmbeddedKafkaServer sharedKafka(BenchOptions options, Map<String, String> env, PrintStream log) {
        if (!needsNodes(options) || givenKafka(env) != null) {
            return null;
        }
        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(options.dataDir().resolve("kafka"), 0);
        log.printf("Kafka the nodes share: %s%n", kafka.bootstrapServers());
        return kafka;
    }

    private static final String KAFKA_BOOTSTRAP = "SALESLEDGER_KAFKA_BOOTSTRAP";

    /** The nodes scenario, and the import's store-alone row (a command node alone, issue 22), start nodes. */
    private static boolean needsNodes(BenchOptions options) {
        return options.scenarios().contains(Scenario.NODES) || options.scenarios().contains(Scenario.IMPORT);
    }

    /** The Kafka the environment names (the harness's own, or what it gives the systems), or null. */
    private static String givenKafka(Map<String, String> env) {
        String given = env.getOrDefault(KAFKA_BOOTSTRAP, System.getenv(KAFKA_BOOTSTRAP));
        return given == null || given.isBlank() ? null : given;
    }

    /** Runs with the given starter and databases (tests start the system in their own way). */
    public static ResultsTable run(BenchOptions options, SystemStarter starter, BenchRun.Databases databases,
                                   PrintStream log) throws Exception {
        return run(options, starter, null, databases, log);
    }

    /** {@link #run(BenchOptions, SystemStarter, BenchRun.Databases, PrintStream)} with a starter of nodes. */
    public static ResultsTable run(BenchOptions options, SystemStarter starter, NodeStarter nodes,
                                   BenchRun.Databases databases, PrintStream log) throws Exception {
        Files.createDirectories(options.dataDir());
        return new BenchRun(options, starter, nodes, databases, log).run();
    }

    /** An empty data directory; one the harness made before is wiped, anything else is refused. */
    private static void prepare(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            boolean ours = Files.exists(dir.resolve(MARKER));
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!ours && !empty) {
                throw new IOException(dir + " is not empty and was not made by `salesledger bench`; "
                        + "give an empty or new --data-dir");
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    if (!path.equals(dir)) {
                        Files.delete(path);
                    }
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by salesledger bench; wiped at the start of each run\n");
    }

    /** The port the environment gives the system under test, 0 (any free one) when none. */
    private static int port(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (0-65535), got '" + value + "'");
        }
    }

    /**
     * The arguments given to {@code bench} itself: picocli keeps the whole command line, in which a subcommand's own
     * come after its name ({@code salesledger bench command …}); the results' header repeats only those.
     */
    static String[] ownArguments(List<String> commandLine, String name, boolean subcommand) {
        int at = subcommand ? commandLine.indexOf(name) : -1;
        return commandLine.subList(at + 1, commandLine.size()).toArray(String[]::new);
    }

    static String markdown(BenchOptions options, String[] args, ResultsTable table) {
        StringBuilder md = new StringBuilder();
        md.append("Run of ").append(OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)).append(": `./salesledger bench")
                .append(args.length == 0 ? "" : " " + String.join(" ", args)).append("`\n\n");
        md.append("- machine: ").append(machine()).append('\n');
        md.append("- system under test: ").append(options.external() ? options.url() + " (already running)"
                : "`salesledger run` in its own JVM (" + String.join(" ", options.systemJavaOptions())
                + "), embedded PostgreSQL under " + options.dataDir()).append('\n');
        md.append("- baselines: on the same PostgreSQL, just before each scenario; ratio = measured / baseline\n\n");
        md.append(table.markdown());
        return md.toString();
    }

    private static String machine() {
        String cpu = "?";
        long memKb = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
            memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
        } catch (IOException | RuntimeException ignored) {
            // not Linux: say less
        }
        return String.format(Locale.ROOT, "%d cores (%s), %.0f GiB RAM, Java %s", Runtime.getRuntime()
                .availableProcessors(), cpu, memKb / 1048576.0, System.getProperty("java.version"));
    }

    static String postgresVersion(Database database) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW server_version")) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (Exception e) {
            return "?";
        }
    }
}
