package org.salesledger.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import org.salesledger.bench.generate.GenerateCommand;
import org.salesledger.bench.harness.BenchCommand;
import org.salesledger.launcher.cli.ImportCommand;
import org.salesledger.launcher.cli.RebuildCommand;
import org.salesledger.launcher.cli.ReplayKafkaCommand;
import org.salesledger.launcher.cli.VerifyReadModelsCommand;

/**
 * The command line: {@code salesledger run} starts the whole system; {@code salesledger import FILE} sends an
 * NDJSON file to it; {@code salesledger rebuild MODEL} rebuilds a read model from the full history;
 * {@code salesledger replay-kafka --topic T} republishes the history into a named Kafka topic;
 * {@code salesledger verify-read-models} compares every read model with the event store.
 */
public final class SalesLedger {

    private SalesLedger() {
    }

    public static void main(String[] args) throws Exception {
        String verb = args.length == 0 ? "run" : args[0];
        String[] rest = credentials(args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length));
        switch (verb) {
            case "run" -> run();
            case "import" -> System.exit(importFile(rest));
            case "rebuild" -> System.exit(rebuild(rest));
            case "replay-kafka" -> System.exit(replayKafka(rest));
            case "verify-read-models" -> System.exit(verifyReadModels(rest));
            case "users" -> System.exit(org.salesledger.launcher.cli.UsersCommand.run(commandUri(), rest, System.out,
                    System.err));
            case "token" -> System.exit(org.salesledger.launcher.cli.UsersCommand.token(commandUri(), System.out,
                    System.err));
            case "generate" -> System.exit(GenerateCommand.run(rest, System.out, System.err));
            case "bench" -> System.exit(BenchCommand.run(rest, selfLaunch(), System.out, System.err));
            case "help", "--help", "-h" -> usage(0);
            default -> {
                System.err.println("unknown command '" + verb + "'");
                usage(2);
            }
        }
    }

    /**
     * Starts the system and waits until it is stopped. A start that fails prints one line saying why (the details,
     * with the stack trace, go to {@code startup-failure.log} in the data directory) and exits with 1.
     */
    private static void run() throws InterruptedException {
        EmbeddedSystem system;
        Settings settings = null;
        try {
            settings = Settings.fromEnvironment();
            system = EmbeddedSystem.start(settings);
        } catch (Exception e) {
            System.err.println(StartupFailure.line(e, settings == null ? null : settings.dataDir()));
            System.exit(1);
            return;
        }
        system.awaitShutdown();
    }

    /**
     * Takes {@code --client-id}, {@code --client-secret} and {@code --token-url} out of the arguments for
     * {@link org.salesledger.launcher.cli.CliCredentials} (contract §7); the rest is the command's.
     */
    static String[] credentials(String[] args) {
        java.util.List<String> rest = new java.util.ArrayList<>();
        String id = null;
        String secret = null;
        String tokenUrl = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--client-id" -> id = i + 1 < args.length ? args[++i] : null;
                case "--client-secret" -> secret = i + 1 < args.length ? args[++i] : null;
                case "--token-url" -> tokenUrl = i + 1 < args.length ? args[++i] : null;
                default -> rest.add(args[i]);
            }
        }
        org.salesledger.launcher.cli.CliCredentials.use(id, secret, tokenUrl);
        return rest.toArray(String[]::new);
    }

    /** The command side of the system running on this machine, where its settings put it. */
    private static URI commandUri() {
        Settings settings = Settings.fromEnvironment();
        return settings.localUri(settings.commandPort());
    }

    private static URI queryUri() {
        Settings settings = Settings.fromEnvironment();
        return settings.localUri(settings.queryPort());
    }

    private static int importFile(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: salesledger import FILE [--url http://localhost:8081]");
            return 2;
        }
        URI url = commandUri();
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals("--url")) {
                url = URI.create(args[i + 1]);
            }
        }
        return ImportCommand.run(url, Path.of(args[0]), System.out, System.err);
    }

    private static int rebuild(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: salesledger rebuild READ_MODEL|all [--url http://localhost:8082]");
            return 2;
        }
        URI url = queryUri();
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals("--url")) {
                url = URI.create(args[i + 1]);
            }
        }
        return RebuildCommand.run(url, args[0], System.out, System.err);
    }

    private static int verifyReadModels(String[] args) {
        URI url = queryUri();
        int limit = 1000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = i + 1 < args.length ? URI.create(args[++i]) : url;
                case "--limit" -> limit = i + 1 < args.length ? Integer.parseInt(args[++i]) : limit;
                default -> {
                    System.err.println("usage: salesledger verify-read-models [--limit 1000] [--url http://localhost:8082]");
                    return VerifyReadModelsCommand.FAILED;
                }
            }
        }
        return VerifyReadModelsCommand.run(url, limit, System.out, System.err);
    }

    private static int replayKafka(String[] args) {
        String topic = null;
        String from = null;
        boolean force = false;
        URI url = commandUri();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--topic" -> topic = i + 1 < args.length ? args[++i] : null;
                case "--from" -> from = i + 1 < args.length ? args[++i] : null;
                case "--url" -> url = i + 1 < args.length ? URI.create(args[++i]) : url;
                case "--force" -> force = true;
                default -> topic = topic == null && !args[i].startsWith("--") ? args[i] : topic;
            }
        }
        if (topic == null) {
            System.err.println("usage: salesledger replay-kafka --topic TOPIC [--from 2025-01-01T00:00:00Z] [--force] "
                    + "[--url http://localhost:8081]");
            return 2;
        }
        return ReplayKafkaCommand.run(url, topic, from, force, System.out, System.err);
    }

    /** How to start this program again in a new JVM: the jar it runs from, or its class path and main class. */
    static java.util.List<String> selfLaunch() {
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            return java.util.List.of("-jar", Path.of(classPath).toAbsolutePath().toString());
        }
        return java.util.List.of("-cp", classPath, SalesLedger.class.getName());
    }

    private static void usage(int status) {
        System.out.println("""
                usage: salesledger COMMAND

                  run                      start PostgreSQL and Kafka (embedded unless SALESLEDGER_DB_URL /
                                           SALESLEDGER_KAFKA_BOOTSTRAP are set), the command side and the
                                           query side; Ctrl-C stops everything
                  import FILE [--url URL]  post an NDJSON file of actions to the command side, with progress
                  rebuild MODEL|all [--url URL]
                                           rebuild a read model (timeline, funnel) or all from the first
                                           event, with progress; the old one answers until the switch
                  replay-kafka --topic TOPIC [--from TIME] [--force] [--url URL]
                                           republish the actions stored since TIME (RFC 3339; default: all)
                                           into a new integrator's own Kafka topic, with progress
                  verify-read-models [--limit N] [--url URL]
                                           compare every read model with the event store, with
                                           progress; names each difference (exit 1 when there are any)
                  generate --customers N [--seed S] [--start 2024-01-01] [--months 24] [--window 1000]
                                           write realistic actions of N customers as NDJSON to stdout
                                           (deterministic: the same N and seed give the same bytes)
                  bench [SCENARIO…] [--quick] [--url URL --jdbc URL]
                                           measure the system against raw PostgreSQL in the same run
                                           (`bench --help` for scenarios and options)
                  users add ID --role ROLE [--role…] [--name N] [--team T] [--region R] [--supervisor ID]
                                           create (or change) a user and print its new client credentials once
                  token                    print an access token of the client below (for curl)
                  help                     this text

                import, rebuild, replay-kafka, verify-read-models, users and token authenticate (contract §7) with
                --client-id ID --client-secret SECRET [--token-url URL] (or SALESLEDGER_CLIENT_ID,
                SALESLEDGER_CLIENT_SECRET, SALESLEDGER_TOKEN_URL), else with the admin client the embedded
                default wrote to $SALESLEDGER_DATA_DIR/admin-client.json

                settings (environment): SALESLEDGER_COMMAND_PORT (8081), SALESLEDGER_QUERY_PORT (8082),
                  SALESLEDGER_DATA_DIR (./.salesledger), SALESLEDGER_KAFKA_PORT (9092),
                  SALESLEDGER_DB_URL, SALESLEDGER_DB_USER, SALESLEDGER_DB_PASSWORD, SALESLEDGER_KAFKA_BOOTSTRAP
                """);
        System.exit(status);
    }
}
