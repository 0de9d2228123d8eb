package org.salesledger.launcher;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code salesledger run [--role command|query|all]}: starts the system (or one side of it, {@link NodeRole}) and
 * waits until it is stopped. A start that fails prints one line
 * saying why (the details, with the stack trace, go to {@code startup-failure.log} in the data directory) and exits
 * with 1; a setting that cannot be used is said in one line naming it (exit 2).
 */
@Command(name = "run",
        description = {"Start PostgreSQL and Kafka (embedded unless SALESLEDGER_DB_URL / SALESLEDGER_KAFKA_BOOTSTRAP "
                + "are set), the command side and the query side; print the URLs when ready. Ctrl-C (or SIGTERM) "
                + "stops everything. The default command.",
                "Settings come from the environment: see salesledger --help."},
        footer = {"", "Roles: a node of role command or query runs that side alone against a shared PostgreSQL and "
                + "Kafka, so it refuses to start (exit 2) unless SALESLEDGER_DB_URL and SALESLEDGER_KAFKA_BOOTSTRAP "
                + "are set; a query node also needs SALESLEDGER_COMMAND_URL (whose token keys it trusts) or "
                + "SALESLEDGER_OIDC_ISSUER_URI. Health probes: /actuator/health/liveness and "
                + "/actuator/health/readiness on each side's port.",
                "", "Exit: 0 when stopped, 1 when it could not start, 2 for a setting it cannot use."})
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--role", paramLabel = "ROLE",
            description = "command, query or all (default: SALESLEDGER_ROLE, else all): which side(s) this node runs")
    String role;

    private final SalesLedger cli;

    RunCommand(SalesLedger cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = cli.settings();
        if (role != null) {
            settings = settings.withRole(NodeRole.parse("--role", role));
        }
        settings.checkRole(); // a role it cannot run is a usage error (exit 2), before anything starts
        settings.checkServers(DeveloperTools.embeddedServers());
        PrintStream err = cli.err();
        EmbeddedSystem system;
        AbortedStartLog.starting();
        try {
            system = EmbeddedSystem.start(settings);
            AbortedStartLog.started();
        } catch (Exception e) {
            err.println(StartupFailure.line(e, settings.dataDir()));
            return 1;
        }
        cli.ranUntilStopped = true;
        system.awaitShutdown();
        return 0;
    }
}
