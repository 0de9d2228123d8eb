package org.salesledger.bench.harness;

/**
 * The two configurations a run compares: Sales Ledger as shipped, and the same code on the settings a new Axon
 * user gets (the Spring profile {@code axon-defaults}: tracking processors with batch size 1, no snapshots, no
 * aggregate cache, the JDBC engine's and Hikari's default settings).
 */
public enum Configuration {
    TUNED("tuned", null),
    AXON_DEFAULTS("Axon defaults", "axon-defaults"),
    /**
     * As shipped, but the command side takes calls without a token as the admin's (profile
     * {@code benchmark-without-tokens}): the command path with and without the token check, same run (issue 17).
     */
    WITHOUT_TOKENS("without tokens", "benchmark-without-tokens");

    private final String label;
    private final String springProfile;

    Configuration(String label, String springProfile) {
        this.label = label;
        this.springProfile = springProfile;
    }

    public String label() {
        return label;
    }

    /** The Spring profile that selects it, or null for the shipped settings. */
    public String springProfile() {
        return springProfile;
    }
}
