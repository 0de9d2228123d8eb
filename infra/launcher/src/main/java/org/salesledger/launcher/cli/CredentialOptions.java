package org.salesledger.launcher.cli;

import picocli.CommandLine.Option;

/**
 * The options of every command that calls the system (contract §7): the client it authenticates with, handed to
 * {@link CliCredentials}. Without them, the environment's client or the data directory's admin client is used.
 */
public final class CredentialOptions {

    @Option(names = "--client-id", paramLabel = "ID",
            description = "the client to authenticate with (default: $SALESLEDGER_CLIENT_ID, else the data "
                    + "directory's admin-client.json)")
    String clientId;

    @Option(names = "--client-secret", paramLabel = "SECRET",
            description = "its secret (default: $SALESLEDGER_CLIENT_SECRET)")
    String clientSecret;

    @Option(names = "--token-url", paramLabel = "URL",
            description = "the token endpoint (default: $SALESLEDGER_TOKEN_URL, else the command side's /oauth2/token)")
    String tokenUrl;

    /** Hands the options given to {@link CliCredentials}; none given leaves it as it is. */
    void apply() {
        if (clientId != null || clientSecret != null || tokenUrl != null) {
            CliCredentials.use(clientId, clientSecret, tokenUrl);
        }
    }
}
