package org.salesledger.command.intake;

import org.salesledger.kernel.settings.SettingChecks;
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
        SettingChecks.atLeast("salesledger.intake.group-commit.max-customers", maxCustomers, 1);
        SettingChecks.atLeast("salesledger.intake.group-commit.max-transactions", maxTransactions, 1);
    }
}
