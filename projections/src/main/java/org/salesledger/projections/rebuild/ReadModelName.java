package org.salesledger.projections.rebuild;

import java.util.Arrays;
import java.util.List;

/**
 * Every read model of the query side, by the name it is rebuilt, checked and reported under
 * ({@code POST /api/v1/admin/rebuilds/{readModel}}, {@code salesledger rebuild READ_MODEL}). Each read model's
 * {@link ReadModelTables} is declared with one of these, so this list and the server's cannot drift apart; the
 * command line's help is written from it.
 */
public enum ReadModelName {

    TIMELINE("timeline", "each customer's actions in stored order"),
    FUNNEL("funnel", "the sales funnel: stages, conversions, stays, with pre-aggregated tallies"),
    ATTRIBUTION("attribution", "revenue and acquisition cost credited to channels"),
    WORKLISTS("worklists", "the public pool, open escalations and each rep's to-dos"),
    TALKTRACK("talktrack", "the effect of each talk-track script on deals"),
    HEALTH("health", "each rep's health metrics and incentive, with the actions behind them");

    /** The name that stands for every read model in a rebuild ({@code salesledger rebuild all}). */
    public static final String ALL = "all";

    private final String id;
    private final String description;

    ReadModelName(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name used in the API, the CLI and the read model's rows ({@code timeline}, {@code funnel}, …). */
    public String id() {
        return id;
    }

    /** What the read model holds, in a few words (for help texts). */
    public String description() {
        return description;
    }

    /** Every read model's name, in this order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(ReadModelName::id).toList();
    }
}
