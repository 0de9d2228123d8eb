package org.salesledger.bench.harness;

import java.net.URI;
import java.util.List;

/**
 * Starts nodes of one side (issue 20, ADR 0037) for the nodes scenario and the import's store-alone row: each
 * {@code salesledger run --role …} in a JVM of its own, all sharing one PostgreSQL database and one Kafka.
 */
public interface NodeStarter {

    /**
     * A command node ({@code --role command}) on the database, claiming at most {@code maxClaimedSegments} segments of
     * each processor (0: no cap), answering healthy and signed in to.
     */
    SystemUnderTest command(Database database, String name, int maxClaimedSegments) throws Exception;

    /**
     * A command node ({@code --role command}) on the database as shipped: the side's own segment count, no cap;
     * answering healthy and signed in to (the import's store-alone row, issue 22).
     */
    SystemUnderTest commandAsShipped(Database database, String name) throws Exception;

    /**
     * Query nodes ({@code --role query}), one per name, all launched before any is waited for, each claiming at most
     * {@code maxClaimedSegments} segments of each processor and trusting the tokens of {@code commandUrl}; returned
     * once every one answers healthy.
     */
    List<SystemUnderTest> query(Database database, List<String> names, int maxClaimedSegments, URI commandUrl)
            throws Exception;
}
