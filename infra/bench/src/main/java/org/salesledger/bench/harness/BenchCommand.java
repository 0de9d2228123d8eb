package org.salesledger.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
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
import java.util.stream.Stream;
import org.salesledger.infra.embedded.EmbeddedPostgresServer;

/**
 * {@code salesledger bench [SCENARIO…] [--quick] …}: runs the scenarios and their baselines, prints the table and
 * writes it as Markdown. By default the harness starts everything itself under its data directory: an embedded
 * PostgreSQL (fsync on, as `salesledger run` has it), then for each configuration a fresh database and the whole
 * system in a JVM of its own on it. With {@code --url … --jdbc …} it measures a system that is already running.
 */
public final class BenchCommand {

    private static final String MARKER = ".salesledger-bench";

    private BenchCommand() {
    }

    /**
     * Exit code 0 when the run completed (whether or not targets were met), 2 for bad options, 1 on failure.
     * {@code launch} is how a system is started: {@code -jar salesledger.jar} or {@code -cp … MainClass}.
     */
    public static int run(String[] args, List<String> launch, PrintStream out, PrintStream err) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(BenchOptions.USAGE);
            return 2;
        }
        if (List.of(args).contains("--help")) {
            out.println(BenchOptions.USAGE);
            return 0;
        }
        try {
            ResultsTable table = options.external() ? runAgainstRunning(options, out)
                    : runManaged(options, launch, Map.of(), out);
            out.println();
            out.print(table.text());
            String markdown = markdown(options, args, table);
            Files.createDirectories(options.out().toAbsolutePath().getParent());
            Files.writeString(options.out(), markdown);
            out.println();
            out.println("written to " + options.out());
            return 0;
        } catch (Exception e) {
            err.println("the benchmark failed: " + e);
            e.printStackTrace(err);
            return 1;
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
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(options.dataDir().resolve("postgres"), 0)) {
            log.printf("PostgreSQL for the benchmark: %s%n", postgres.jdbcUrl());
            SystemStarter starter = ChildProcessSystem.starter(launch, options.systemJavaOptions(), ports,
                    options.dataDir(), env);
            return new BenchRun(options, starter, configuration -> {
                String name = "bench_" + configuration.name().toLowerCase(Locale.ROOT);
                postgres.createDatabase(name);
                return new Database(postgres.jdbcUrl(name), postgres.user(), postgres.password());
            }, log).run();
        }
    }

    /** Runs with the given starter and databases (tests start the system in their own way). */
    public static ResultsTable run(BenchOptions options, SystemStarter starter, BenchRun.Databases databases,
                                   PrintStream log) throws Exception {
        Files.createDirectories(options.dataDir());
        return new BenchRun(options, starter, databases, log).run();
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

    private static int port(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? 0 : Integer.parseInt(value.trim());
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
