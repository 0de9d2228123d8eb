package org.salesledger.bench.harness;

import java.net.URI;
import java.util.OptionalLong;

/** A system the harness found running ({@code --url}); closing it leaves it running. */
record RunningSystem(URI commandUrl, URI queryUrl, Database database, OptionalLong pid) implements SystemUnderTest {

    @Override
    public void close() {
    }
}
