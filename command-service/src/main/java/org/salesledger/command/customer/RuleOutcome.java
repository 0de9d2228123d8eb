package org.salesledger.command.customer;

import java.util.List;
import java.util.Map;

/**
 * What the current event-driven rules say of one customer at one of its actions — not yet what changes: the
 * {@link Customer} compares it with what it holds ({@link RuleState}) and records only the changes.
 *
 * @param tags           every active TAG rule and whether its condition holds
 * @param classification the first matching class of the active CLASSIFY rule ({@code null} when there is no
 *                       CLASSIFY rule; a result with a {@code null} class when none of its classes matches)
 * @param talkTrackRules every active TALK_TRACK rule (for the unused-suggestion alerts)
 * @param talkTracks     the TALK_TRACK rules matched by the visit being evaluated (empty for other actions)
 * @param ruleVersions   the latest version of every rule ever published (retired ones included), so that a tag
 *                       of a retired rule is removed under the version that retired it
 */
public record RuleOutcome(List<TagResult> tags, ClassResult classification, List<TalkTrackRule> talkTrackRules,
                          List<TalkTrackMatch> talkTracks, Map<String, Integer> ruleVersions) {

    public RuleOutcome {
        tags = List.copyOf(tags);
        talkTrackRules = List.copyOf(talkTrackRules);
        talkTracks = List.copyOf(talkTracks);
        ruleVersions = Map.copyOf(ruleVersions);
    }

    public record TagResult(String ruleId, int version, String tag, boolean holds) {
    }

    public record ClassResult(String ruleId, int version, String customerClass) {
    }

    public record TalkTrackRule(String ruleId, int version, Integer alertAfterUnused, String to) {
    }

    public record TalkTrackMatch(String ruleId, int version, List<String> scripts) {
        public TalkTrackMatch {
            scripts = List.copyOf(scripts);
        }
    }
}
