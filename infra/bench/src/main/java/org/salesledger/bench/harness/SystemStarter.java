package org.salesledger.bench.harness;

/** Starts a Sales Ledger in a configuration on a fresh database, for one part of a benchmark run. */
public interface SystemStarter {

    SystemUnderTest start(Configuration configuration, Database database) throws Exception;
}
