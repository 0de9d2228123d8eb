package org.salesledger.launcher.cli;

import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code salesledger token}: prints an access token of the client the CLI authenticates with (for curl). */
@Command(name = "token", sortOptions = false,
        description = "Print an access token (1 h) of the client below, for curl -H \"Authorization: Bearer ...\".",
        footer = {"", "Example: TOKEN=$(salesledger token)"})
public final class TokenCommand implements Callable<Integer> {

    @Option(names = "--url", paramLabel = "URL",
            description = "the command side (default: localhost, port $SALESLEDGER_COMMAND_PORT or 8081)")
    URI url;

    @Mixin
    CredentialOptions credentials;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    private final CliContext context;

    public TokenCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        credentials.apply();
        return UsersCommand.token(url != null ? url : context.commandUri(), context.out(), context.err());
    }
}
