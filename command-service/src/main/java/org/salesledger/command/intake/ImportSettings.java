package org.salesledger.command.intake;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The NDJSON import's limits and parallelism ({@code salesledger.import.*}).
 *
 * @param maxBodyBytes            the largest import request body, in bytes (16 GiB); a bigger one gets {@code 413}
 * @param maxLineBytes            the longest NDJSON line, in bytes (1 MiB)
 * @param batchSize               lines read before they are handed to the workers
 * @param workers                 threads storing an import's customers at once
 * @param customersPerTransaction customers stored together in one transaction by one worker
 * @param maxErrors               errors listed in an import report; the rest are counted
 */
@ConfigurationProperties("salesledger.import")
public record ImportSettings(@DefaultValue("17179869184") long maxBodyBytes,
                             @DefaultValue("1048576") int maxLineBytes,
                             @DefaultValue("1000") int batchSize,
                             @DefaultValue("4") int workers,
                             @DefaultValue("1000") int customersPerTransaction,
                             @DefaultValue("1000") int maxErrors) {

    public ImportSettings {
        atLeastOne("max-body-bytes", maxBodyBytes);
        atLeastOne("max-line-bytes", maxLineBytes);
        atLeastOne("batch-size", batchSize);
        atLeastOne("workers", workers);
        atLeastOne("customers-per-transaction", customersPerTransaction);
        if (maxErrors < 0) {
            throw new IllegalArgumentException("salesledger.import.max-errors must be 0 or more, got " + maxErrors);
        }
    }

    private static void atLeastOne(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("salesledger.import." + name + " must be at least 1, got " + value);
        }
    }
}
