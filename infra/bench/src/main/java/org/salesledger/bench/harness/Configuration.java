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
    WITHOUT_TOKENS("without tokens", "benchmark-without-tokens"),
    /**
     * As shipped, the audit tree on: one of the pair that measures what the tree costs the command path and the
     * import (issue 19), run at the same time as {@link #WITHOUT_AUDIT} on a database of its own.
     */
    WITH_AUDIT("with the audit tree", null),
    /**
     * As shipped, but the query side neither appends to the audit tree nor signs checkpoints (profile
     * {@code benchmark-without-audit}): the other of the pair; its empty audit tables then take the synthetic tree of
     * the proofs scenario.
     */
    WITHOUT_AUDIT("without the audit tree", "benchmark-without-audit"),
    /**
     * As shipped, one side per node (issue 20): the store the nodes scenario loads through a command node and copies
     * for each number of query nodes.
     */
    NODES("nodes", null),
    /**
     * As shipped, the command side alone ({@code --role command}): the import into the store while no read model runs
     * (issue 22's "the store alone"), on a database of its own.
     */
    STORE_ALONE("a command node alone", null);

    private final String label;
    private final String springProfile;

    Configuration(String label, String springProfile) {
        this.label = label;
        this.springProfile = springProfile;
    }

    public String label() {
        return label;
    }

    /**
     * Whether it runs while another system of the same run is up ({@link #WITHOUT_AUDIT} beside {@link #WITH_AUDIT}),
     * so that it must listen on ports of its own rather than the ones the environment gives.
     */
    public boolean runsBesideAnother() {
        return this == WITHOUT_AUDIT;
    }

    /** The Spring profile that selects it, or null for the shipped settings. */
    public String springProfile() {
        return springProfile;
    }
}
