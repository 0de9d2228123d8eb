package org.salesledger.bench.harness;

import java.util.Locale;

/** The scenarios of a benchmark run, named as on the command line. */
public enum Scenario {
    COMMAND("command path: concurrent POST /api/v1/actions vs one-row insert transactions"),
    IMPORT("import: POST /api/v1/import of generated data vs COPY"),
    QUERIES("queries: funnel, funnel with a filter, timeline, attribution at the loaded size, 8 clients"),
    REBUILD("rebuild: each read model from the first event vs a sequential read of the event table"),
    KAFKA("Kafka relay: events/s and stored-to-acknowledged latency, from the relay's metrics"),
    MEMORY("memory: peak resident size of the system's JVM during the largest import"),
    STATE("state: GET /customers/{id}/state and /changes of one customer with 10,000 actions"),
    HEALTH("health: one rep-month GET /api/v1/reps/{id}/health and the ranking by rep GET /api/v1/health"
            + "?groupBy=rep, 1 and 8 clients"),
    PROOFS("proofs: audit inclusion and consistency proofs over HTTP at the run's tree size and on a synthetic "
            + "tree of 10 M leaves"),
    NODES("nodes (issue 20): the read models catching up with a loaded store on 1, 2 and 3 query nodes, and the import "
            + "through as many command nodes, each a JVM of its own sharing PostgreSQL and Kafka; off unless named");

    private final String description;

    Scenario(String description) {
        this.description = description;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /**
     * Whether a run that names no scenario runs it: all but {@link #NODES}, which starts several systems at once and
     * measures how a side scales over machines — on one machine it measures the contention of its cores.
     */
    public boolean byDefault() {
        return this != NODES;
    }

    static Scenario parse(String name) {
        for (Scenario scenario : values()) {
            if (scenario.cliName().equals(name)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; scenarios are "
                + java.util.Arrays.stream(values()).map(Scenario::cliName).toList());
    }
}
