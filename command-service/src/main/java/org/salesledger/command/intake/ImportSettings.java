package org.salesledger.command.intake;

import org.salesledger.kernel.settings.SettingChecks;
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
        SettingChecks.atLeast("salesledger.import.max-body-bytes", maxBodyBytes, 1);
        SettingChecks.atLeast("salesledger.import.max-line-bytes", maxLineBytes, 1);
        SettingChecks.atLeast("salesledger.import.batch-size", batchSize, 1);
        SettingChecks.atLeast("salesledger.import.workers", workers, 1);
        SettingChecks.atLeast("salesledger.import.customers-per-transaction", customersPerTransaction, 1);
        SettingChecks.atLeast("salesledger.import.max-errors", maxErrors, 0);
    }
}
