package org.salesledger.bench.harness;

import java.net.URI;
import java.util.OptionalLong;

/** A running Sales Ledger the scenarios drive: its two HTTP sides, its database and the process that runs it. */
public interface SystemUnderTest extends AutoCloseable {

    URI commandUrl();

    URI queryUrl();

    Database database();

    /** The operating-system process of the system (for its peak memory), when known. */
    OptionalLong pid();

    /** Stops it, when the harness started it; a system the harness found running is left alone. */
    @Override
    void close();
}
