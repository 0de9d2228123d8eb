package org.salesledger.command.intake;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Group commit of actions sent one at a time ({@code salesledger.intake.group-commit.*}, ADR 0038).
 *
 * @param maxCustomers    the most customers (one request each) one shared transaction takes (32); 1 turns grouping off
 * @param maxTransactions transactions under way at once before requests wait to be grouped into the next (4)
 */
@ConfigurationProperties("salesledger.intake.group-commit")
public record GroupCommitSettings(@DefaultValue("32") int maxCustomers, @DefaultValue("4") int maxTransactions) {

    public GroupCommitSettings {
        if (maxCustomers < 1) {
            throw new IllegalArgumentException("salesledger.intake.group-commit.max-customers must be at least 1, got "
                    + maxCustomers);
        }
        if (maxTransactions < 1) {
            throw new IllegalArgumentException("salesledger.intake.group-commit.max-transactions must be at least 1, "
                    + "got " + maxTransactions);
        }
    }
}
