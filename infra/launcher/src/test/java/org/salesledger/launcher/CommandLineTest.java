package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code salesledger} as a user types it, run in this JVM: help, version, usage errors and bad settings. Nothing here
 * needs a running system; the commands that would call one are given arguments that stop them before.
 */
class CommandLineTest {

    /** The query side's read models, written out here independently of the code's list. */
    private static final List<String> READ_MODELS = List.of("timeline", "funnel", "attribution", "worklists",
            "talktrack", "health");

    /** The environment variables the README documents. */
    private static final List<String> ENVIRONMENT = List.of("SALESLEDGER_ROLE", "SALESLEDGER_COMMAND_URL",
            "SALESLEDGER_COMMAND_PORT", "SALESLEDGER_QUERY_PORT",
            "SALESLEDGER_BIND_ADDRESS", "SALESLEDGER_DATA_DIR", "SALESLEDGER_KAFKA_PORT", "SALESLEDGER_DB_URL",
            "SALESLEDGER_DB_USER", "SALESLEDGER_DB_PASSWORD", "SALESLEDGER_KAFKA_BOOTSTRAP", "SALESLEDGER_KAFKA_TOPIC",
            "SALESLEDGER_ADMIN_CLIENT_SECRET", "SALESLEDGER_OIDC_ISSUER_URI", "SALESLEDGER_OIDC_USER_CLAIM",
            "SALESLEDGER_OIDC_ROLES_CLAIM", "SALESLEDGER_CLIENT_ID", "SALESLEDGER_CLIENT_SECRET",
            "SALESLEDGER_TOKEN_URL", "SALESLEDGER_JAVA_OPTS");

    private static final List<String> CREDENTIALS = List.of("--client-id", "--client-secret", "--token-url");

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SalesLedger.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run run(String... args) {
        return run(Map.of(), "", args);
    }

    static Stream<Arguments> everyCommandAndItsOptions() {
        return Stream.of(
                Arguments.of(List.of("run"), List.of("--help", "--role", "command", "query", "all",
                        "/actuator/health/liveness", "/actuator/health/readiness")),
                Arguments.of(List.of("import"), concat(List.of("FILE", "standard input", "--url"), CREDENTIALS)),
                Arguments.of(List.of("rebuild"), concat(List.of("READ_MODEL", "--url"), CREDENTIALS)),
                Arguments.of(List.of("replay-kafka"), concat(List.of("--topic", "--from", "--force", "--url"),
                        CREDENTIALS)),
                Arguments.of(List.of("verify-read-models"), concat(List.of("--limit", "--url"), CREDENTIALS)),
                Arguments.of(List.of("users"), List.of("add")),
                Arguments.of(List.of("users", "add"), concat(List.of("ID", "--role", "--name", "--team", "--region",
                        "--supervisor", "--url"), CREDENTIALS)),
                Arguments.of(List.of("token"), concat(List.of("--url"), CREDENTIALS)),
                Arguments.of(List.of("demo"), List.of("--customers", "--seed", "--url", "--query-url")),
                Arguments.of(List.of("generate"), List.of("--customers", "--seed", "--start", "--months", "--window",
                        "--prefix", "--max-events")),
                Arguments.of(List.of("bench"), List.of("SCENARIO", "--quick", "--clients", "--duration",
                        "--import-sizes", "--defaults-import-size", "--read-models", "--no-axon-defaults",
                        "--no-token-comparison", "--data-dir", "--system-java-opts", "--out", "--url", "--query-url",
                        "--jdbc", "--jdbc-user", "--jdbc-password", "--pid", "--timeline-customers")),
                Arguments.of(List.of("help"), List.of("COMMAND")));
    }

    @ParameterizedTest
    @MethodSource("everyCommandAndItsOptions")
    void everyCommandAnswersHelpWithItsUsageAndExitZero(List<String> command, List<String> options) {
        Run help = run(concat(command, List.of("--help")).toArray(String[]::new));

        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).contains("Usage: salesledger " + String.join(" ", command));
        assertThat(help.out()).contains(options);
        assertThat(help.out()).contains("-h, --help");
    }

    @Test
    void helpAlsoComesAsAHelpCommandAndWithoutArguments() {
        Run rootHelp = run("--help");
        Run helpCommand = run("help");
        Run helpImport = run("help", "import");

        assertThat(rootHelp.exit()).isZero();
        assertThat(rootHelp.out()).contains("run", "import", "rebuild", "replay-kafka", "verify-read-models", "users",
                "token", "demo", "generate", "bench", "help", "--version");
        assertThat(helpCommand.exit()).isZero();
        assertThat(helpCommand.out()).isEqualTo(rootHelp.out());
        assertThat(helpImport.exit()).isZero();
        assertThat(helpImport.out()).contains("Usage: salesledger import", "FILE");
    }

    @Test
    void theHelpListsEveryReadModelAndEveryEnvironmentVariable() {
        Run root = run("--help");
        Run rebuild = run("rebuild", "--help");
        Run verify = run("verify-read-models", "--help");
        Run bench = run("bench", "--help");

        assertThat(root.out()).contains(READ_MODELS).contains(ENVIRONMENT);
        assertThat(rebuild.out()).contains(READ_MODELS).contains("all");
        assertThat(verify.out()).contains(READ_MODELS);
        assertThat(bench.out()).contains(READ_MODELS);
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Run version = run("--version");

        assertThat(version.exit()).isZero();
        assertThat(version.out().strip()).matches("salesledger \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    static Stream<List<String>> commandsGivenAnUnknownOption() {
        return Stream.of(List.of("--no-such-option"), List.of("run", "--no-such-option"),
                List.of("import", "a.ndjson", "--no-such-option"), List.of("rebuild", "funnel", "--no-such-option"),
                List.of("replay-kafka", "--topic", "t", "--no-such-option"),
                List.of("verify-read-models", "--no-such-option"), List.of("users", "--no-such-option"),
                List.of("users", "add", "u", "--role", "rep", "--no-such-option"), List.of("token", "--no-such-option"),
                List.of("generate", "--customers", "1", "--no-such-option"), List.of("bench", "--no-such-option"),
                List.of("help", "--no-such-option"));
    }

    @ParameterizedTest
    @MethodSource("commandsGivenAnUnknownOption")
    void anUnknownOptionIsOneLineAndExitTwo(List<String> args) {
        Run refused = run(args.toArray(String[]::new));

        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.errLines()).singleElement().asString().contains("--no-such-option");
        assertThat(refused.out()).isEmpty();
    }

    static Stream<List<String>> commandsMissingAValue() {
        return Stream.of(List.of("import"), List.of("import", "a.ndjson", "--url"), List.of("rebuild"),
                List.of("rebuild", "funnel", "--client-id"), List.of("replay-kafka"),
                List.of("replay-kafka", "--topic"), List.of("verify-read-models", "--limit"),
                List.of("users"), List.of("users", "add", "u"), List.of("users", "add", "u", "--role"),
                List.of("token", "--token-url"), List.of("generate"), List.of("generate", "--customers"),
                List.of("bench", "--clients"), List.of("bench", "--data-dir"));
    }

    @ParameterizedTest
    @MethodSource("commandsMissingAValue")
    void aMissingValueIsOneLineAndExitTwo(List<String> args) {
        Run refused = run(args.toArray(String[]::new));

        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.errLines()).as(refused.err()).singleElement().asString().startsWith("salesledger");
        assertThat(refused.out()).isEmpty();
    }

    @Test
    void aBadValueOrUnknownCommandIsOneLineNamingItAndExitTwo() {
        Run limit = run("verify-read-models", "--limit", "many");
        Run customers = run("generate", "--customers", "0");
        Run scenario = run("bench", "everything");
        Run command = run("frobnicate");
        Run url = run("import", "a.ndjson", "--url", "http://bad host/");

        assertThat(List.of(limit, customers, scenario, command, url)).allSatisfy(r -> {
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.errLines()).as(r.err()).hasSize(1);
        });
        assertThat(limit.err()).contains("--limit", "'many'");
        assertThat(customers.err()).contains("--customers must be at least 1");
        assertThat(scenario.err()).contains("unknown scenario 'everything'");
        assertThat(command.err()).contains("frobnicate");
        assertThat(url.err()).contains("--url", "http://bad host/");
    }

    @Test
    void aSettingItCannotUseIsOneLineNamingTheVariableAndExitTwo() {
        Run importing = run(Map.of("SALESLEDGER_COMMAND_PORT", "abc"), "", "import", "a.ndjson");
        Run running = run(Map.of("SALESLEDGER_QUERY_PORT", "99999"), "", "run");
        Run bound = run(Map.of("SALESLEDGER_BIND_ADDRESS", "not an address"), "", "token");

        assertThat(List.of(importing, running, bound)).allSatisfy(r -> {
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.errLines()).as(r.err()).hasSize(1);
            assertThat(r.err()).doesNotContain("Exception").doesNotContainPattern("(?m)^\\s+at ");
        });
        assertThat(importing.err()).startsWith("salesledger import: ").contains("SALESLEDGER_COMMAND_PORT", "'abc'");
        assertThat(running.err()).startsWith("salesledger run: ").contains("SALESLEDGER_QUERY_PORT", "'99999'");
        assertThat(bound.err()).contains("SALESLEDGER_BIND_ADDRESS", "'not an address'");
    }

    @Test
    void aRoleThatIsNotOneOfTheThreeIsOneLineAndExitTwo() {
        Run option = run("run", "--role", "reader");
        Run variable = run(Map.of("SALESLEDGER_ROLE", "writer"), "", "run");
        Run missingValue = run("run", "--role");

        assertThat(List.of(option, variable, missingValue)).allSatisfy(r -> {
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.errLines()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("salesledger run: ").doesNotContain("Exception");
        });
        assertThat(option.err()).contains("--role must be one of command, query, all, got 'reader'");
        assertThat(variable.err()).contains("SALESLEDGER_ROLE must be one of command, query, all, got 'writer'");
        assertThat(missingValue.err()).contains("--role");
    }

    @Test
    void aNodeOfOneRoleWithoutTheSharedServersIsRefusedInOneLineNamingThemAndExitTwo() {
        Run command = run("run", "--role", "command");
        Run queryFromTheEnvironment = run(Map.of("SALESLEDGER_ROLE", "query"), "", "run");
        Run noCommand = run(Map.of("SALESLEDGER_ROLE", "query"), "");
        // the option wins over the variable: 'all' would start the embedded servers, 'command' is refused
        Run optionOverVariable = run(Map.of("SALESLEDGER_ROLE", "all"), "", "run", "--role", "COMMAND");

        assertThat(List.of(command, queryFromTheEnvironment, noCommand, optionOverVariable)).allSatisfy(r -> {
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.errLines()).as(r.err()).hasSize(1);
            assertThat(r.err()).contains("SALESLEDGER_DB_URL and SALESLEDGER_KAFKA_BOOTSTRAP")
                    .doesNotContain("Exception");
        });
        assertThat(command.err()).contains("role command");
        assertThat(queryFromTheEnvironment.err()).contains("role query");
        assertThat(optionOverVariable.err()).contains("role command");
    }

    @Test
    void aQueryNodeThatDoesNotKnowWhoseTokensToTrustIsRefusedNamingTheVariables() {
        Run query = run(Map.of("SALESLEDGER_DB_URL", "jdbc:postgresql://db/sl",
                "SALESLEDGER_KAFKA_BOOTSTRAP", "kafka:9092"), "", "run", "--role", "query");

        assertThat(query.exit()).as(query.err()).isEqualTo(2);
        assertThat(query.errLines()).singleElement().asString()
                .contains("SALESLEDGER_COMMAND_URL", "SALESLEDGER_OIDC_ISSUER_URI");
    }

    @Test
    void helpAndRefusedArgumentsNeverCallTheServer() throws IOException {
        try (ServerSocket querySide = new ServerSocket(0)) {
            Map<String, String> env = Map.of("SALESLEDGER_QUERY_PORT", Integer.toString(querySide.getLocalPort()));
            String url = "http://localhost:" + querySide.getLocalPort();

            Run help = run(env, "", "rebuild", "--help");
            Run helpAfterName = run(env, "", "rebuild", "funnel", "--help");
            Run helpWithUrl = run(env, "", "rebuild", "--url", url, "--help");
            Run unknown = run(env, "", "rebuild", "no-such-model", "--url", url);

            assertThat(List.of(help, helpAfterName, helpWithUrl)).allSatisfy(r -> assertThat(r.exit()).isZero());
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.errLines()).singleElement().asString().contains("unknown read model 'no-such-model'")
                    .contains(READ_MODELS);
            // a connection made by any of them would be waiting in the backlog: accept() would return it at once
            querySide.setSoTimeout(1);
            assertThatThrownBy(querySide::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void generateWritesItsLinesToStandardOutputAndItsSummaryToStandardError() {
        Run generated = run("generate", "--customers", "3", "--seed", "7");

        assertThat(generated.exit()).as(generated.err()).isZero();
        assertThat(generated.out().lines().toList()).isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith("{").contains("\"specversion\":\"1.0\""));
        assertThat(generated.errLines()).singleElement().asString().startsWith("generated ")
                .contains("of 3 customers");
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
