package org.salesledger.projections.attribution;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cost categories of {@code CostIncurred} that reports know by name: the twelve kinds of acquisition cost a
 * field sales team ties to its actions (the source material's "12 cost items": activity budgets, field labour,
 * sample wastage …). A category outside the list is kept as given and reported under its own code, with a note.
 */
public final class CostCategories {

    /** Code → what it covers. */
    public static final Map<String, String> KNOWN;

    static {
        Map<String, String> known = new LinkedHashMap<>();
        known.put("field_labour", "field and promotion staff time (地推人力)");
        known.put("samples", "samples given or used up (样品损耗)");
        known.put("events_exhibitions", "exhibitions, trade fairs and own events (市场活动, 展会)");
        known.put("ads", "paid advertising, online and offline");
        known.put("gifts", "gifts to customers");
        known.put("travel", "travel and lodging for visits");
        known.put("hospitality", "meals and entertainment with customers");
        known.put("promotional_materials", "printed and point-of-sale materials (物料)");
        known.put("trials_demos", "trial units, demonstrations and installations for trials");
        known.put("commissions", "commissions and rebates to agents, referrers and dealers");
        known.put("community_operations", "community and social-media operations (社群)");
        known.put("training", "customer training and seminars");
        KNOWN = java.util.Collections.unmodifiableMap(known);
    }

    private CostCategories() {
    }

    public static boolean isKnown(String category) {
        return KNOWN.containsKey(category);
    }
}
