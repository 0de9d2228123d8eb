package org.salesledger.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.salesledger.launcher.cli.BadSetting;
import org.salesledger.launcher.cli.CliContext;
import org.salesledger.launcher.cli.EnvironmentVariable;
import org.salesledger.launcher.cli.ImportCommand;
import org.salesledger.launcher.cli.RebuildCommand;
import org.salesledger.launcher.cli.ReplayKafkaCommand;
import org.salesledger.launcher.cli.TokenCommand;
import org.salesledger.launcher.cli.UsersCommand;
import org.salesledger.launcher.cli.VerifyCommand;
import org.salesledger.launcher.cli.VerifyReadModelsCommand;
import org.salesledger.projections.rebuild.ReadModelName;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line, {@code salesledger COMMAND} (picocli): {@code run} starts the whole system (also with no
 * command); {@code import}, {@code rebuild}, {@code replay-kafka}, {@code verify-read-models}, {@code users} and
 * {@code token} call a running one; {@code verify} checks an audit export offline; {@code generate} and {@code bench} make data and measure. Every command has
 * {@code --help}; an unknown option, a missing value or a setting it cannot use is said in one line on standard error,
 * with exit code 2. The help's lists of read models and environment variables are written from {@link ReadModelName}
 * and {@link EnvironmentVariable}, the lists the code itself uses.
 */
@Command(name = "salesledger", mixinStandardHelpOptions = true, versionProvider = SalesLedger.Version.class,
        synopsisSubcommandLabel = "[COMMAND]", commandListHeading = "%nCommands:%n",
        description = "Sales Ledger: an event-sourced CQRS backend for the action flow of a field sales team. "
                + "Without a command: run. 'salesledger COMMAND --help' tells more of each.")
public final class SalesLedger implements Callable<Integer>, CliContext {

    /** Exit code of a usage error: an unknown option or command, a missing or bad value, a bad setting. */
    public static final int USAGE = 2;
    /** The width of the help (picocli's default). */
    private static final int WIDTH = 80;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;
    private final RunCommand run = new RunCommand(this);
    /** Set by {@code run} once the system has started: the JVM is then stopped by its shutdown hook. */
    boolean ranUntilStopped;

    SalesLedger(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
    }

    public static void main(String[] args) {
        SalesLedger cli = new SalesLedger(System.out, System.err, System.in, System.getenv());
        int exit = cli.commandLine().execute(args);
        if (exit == 0 && cli.ranUntilStopped) {
            return; // stopped by a signal: System.exit here would wait for the shutdown hooks forever
        }
        System.exit(exit);
    }

    /** Runs {@code args} as {@code salesledger} would, in this JVM (tests). Answers the exit code. */
    static int execute(String[] args, PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
        return new SalesLedger(out, err, in, env).commandLine().execute(args);
    }

    /** The whole command line: every subcommand, one-line errors, the help's lists. */
    CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(this);
        commandLine.addSubcommand("run", run);
        commandLine.addSubcommand("import", new ImportCommand(this));
        commandLine.addSubcommand("rebuild", new RebuildCommand(this));
        commandLine.addSubcommand("replay-kafka", new ReplayKafkaCommand(this));
        commandLine.addSubcommand("verify-read-models", new VerifyReadModelsCommand(this));
        commandLine.addSubcommand("verify", new VerifyCommand(this));
        commandLine.addSubcommand("users", new UsersCommand(this));
        commandLine.addSubcommand("token", new TokenCommand(this));
        if (DeveloperTools.benchHarness()) {
            BenchCommands.addTo(commandLine, this, out, err, env);
        }
        commandLine.addSubcommand("help", new HelpCommand());
        commandLine.getCommandSpec().usageMessage().footer(footer());
        commandLine.getSubcommands().get("rebuild").getCommandSpec().usageMessage()
                .footer(append(commandLine.getSubcommands().get("rebuild"), readModels()));
        commandLine.getSubcommands().get("verify-read-models").getCommandSpec().usageMessage()
                .footer(append(commandLine.getSubcommands().get("verify-read-models"), readModels()));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((e, args) -> {
            err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage())
                    + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            String name = command.getCommandSpec().qualifiedName();
            if (e instanceof BadSetting) {
                err.println(name + ": " + oneLine(e.getMessage()));
                return USAGE;
            }
            err.println(name + ": " + StartupFailure.reasons(e));
            return 1;
        });
        return commandLine;
    }

    /** {@code salesledger} alone: {@code run}. */
    @Override
    public Integer call() throws InterruptedException {
        return run.call();
    }

    Settings settings() {
        return Settings.from(env);
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public PrintStream err() {
        return err;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public URI commandUri() {
        Settings settings = settings();
        return settings.localUri(settings.commandPort());
    }

    @Override
    public URI queryUri() {
        Settings settings = settings();
        return settings.localUri(settings.queryPort());
    }

    /** How to start this program again in a new JVM: the jar it runs from, or its class path and main class. */
    static List<String> selfLaunch() {
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            return List.of("-jar", Path.of(classPath).toAbsolutePath().toString());
        }
        return List.of("-cp", classPath, SalesLedger.class.getName());
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }

    /** The root help's end: read models, credentials, environment variables, exit codes. */
    static String[] footer() {
        List<String> lines = new ArrayList<>();
        lines.addAll(readModels());
        lines.add("");
        lines.addAll(wrap("import, rebuild, replay-kafka, verify-read-models, users and token authenticate (contract "
                + "section 7) with --client-id ID --client-secret SECRET [--token-url URL], else with the client of "
                + "the environment below, else with the admin client the embedded default wrote to "
                + "$SALESLEDGER_DATA_DIR/admin-client.json.", ""));
        lines.add("");
        lines.add("Environment:");
        for (EnvironmentVariable variable : EnvironmentVariable.values()) {
            lines.add("  " + variable.variable()
                    + (variable.defaultValue() == null ? "" : " (default " + variable.defaultValue() + ")"));
            String readBy = switch (variable.reader()) {
                case LAUNCHER, CLI -> " (or -D" + variable.property() + ")";
                case SERVICES -> " (read by the services)";
                case SCRIPT -> "";
            };
            lines.addAll(wrap(variable.meaning() + readBy, "      "));
        }
        lines.addAll(wrap("Any other setting of the services (a salesledger.* property) is taken from the environment "
                + "the same way, e.g. SALESLEDGER_REBUILD_CHUNK_SIZE for salesledger.rebuild.chunk-size.", ""));
        lines.add("");
        lines.add("Exit codes: 0 done, 1 failed (see each command), 2 a usage error or a setting it cannot use.");
        return escape(lines);
    }

    /** The read models, one a line with what each holds. */
    static List<String> readModels() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Read models (rebuild READ_MODEL, or all):");
        for (ReadModelName model : ReadModelName.values()) {
            lines.addAll(wrap(String.format(Locale.ROOT, "%-12s %s", model.id(), model.description()),
                    "  ", " ".repeat(15)));
        }
        return lines;
    }

    private static List<String> wrap(String text, String indent) {
        return wrap(text, indent, indent);
    }

    /** {@code text} in lines of at most {@link #WIDTH} characters, the first indented by {@code first}. */
    private static List<String> wrap(String text, String first, String rest) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        for (String word : text.split(" ")) {
            if (line.length() + 1 + word.length() > WIDTH && line.length() > rest.length()) {
                lines.add(line.toString());
                line = new StringBuilder(rest);
            }
            if (!line.toString().isBlank()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String[] append(CommandLine command, List<String> more) {
        List<String> lines = new ArrayList<>(List.of(command.getCommandSpec().usageMessage().footer()));
        lines.addAll(List.of(escape(more)));
        return lines.toArray(String[]::new);
    }

    /** Help sections are format strings: a literal {@code %} is written {@code %%}. */
    private static String[] escape(List<String> lines) {
        return lines.stream().map(l -> l.replace("%", "%%")).toArray(String[]::new);
    }

    /** {@code --version}: the project's version, from the resource the build filled in. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream resource = SalesLedger.class.getResourceAsStream("/salesledger-version.properties")) {
                if (resource != null) {
                    properties.load(resource);
                }
            }
            String version = properties.getProperty("version");
            if (version == null || version.startsWith("$")) {
                version = SalesLedger.class.getPackage().getImplementationVersion();
            }
            return new String[] {"salesledger " + (version == null ? "(unknown version)" : version)};
        }
    }
}
