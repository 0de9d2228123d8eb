package org.salesledger.launcher;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.salesledger.launcher.cli.BadSetting;

/**
 * What a node started by {@code salesledger run} runs: the command side, the query side, or both ({@code all}, the
 * default). Several nodes of either role share one PostgreSQL and one Kafka; a node of one role needs them external
 * (SALESLEDGER_DB_URL, SALESLEDGER_KAFKA_BOOTSTRAP), since an embedded server would be this node's alone.
 */
public enum NodeRole {

    /** The command side only: the action API, the import, the rules, the Kafka relay, the authorization server. */
    COMMAND,
    /** The query side only: the read models, their API, the audit log. */
    QUERY,
    /** Both sides in one process (the embedded default). */
    ALL;

    /** The name an operator writes: {@code command}, {@code query}, {@code all}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean runsCommandSide() {
        return this != QUERY;
    }

    public boolean runsQuerySide() {
        return this != COMMAND;
    }

    /** The role {@code value} names (any case, trimmed); a {@link BadSetting} naming {@code name} otherwise. */
    public static NodeRole parse(String name, String value) {
        String id = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(role -> role.id().equals(id)).findFirst()
                .orElseThrow(() -> new BadSetting(name + " must be one of " + ids() + ", got '" + value + "'"));
    }

    /** {@code command, query, all}. */
    public static String ids() {
        return Arrays.stream(values()).map(NodeRole::id).collect(Collectors.joining(", "));
    }
}
