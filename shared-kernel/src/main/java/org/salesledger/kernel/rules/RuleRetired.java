package org.salesledger.kernel.rules;

import java.util.Objects;

/**
 * A manager retired rule {@code ruleId}: it stops acting, and is kept in the history as version {@code version},
 * after {@code previousVersion} (the version that was active).
 */
public record RuleRetired(String ruleId, int version, int previousVersion, String author, String reason) {

    public RuleRetired {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(author, "author");
    }
}
