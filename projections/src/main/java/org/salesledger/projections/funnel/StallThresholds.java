package org.salesledger.projections.funnel;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.salesledger.kernel.lifecycle.Stage;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * How long a customer may sit in each open stage before it counts as stalled, unless a query says otherwise.
 * Set with {@code salesledger.stalled.threshold.PROPOSAL_SENT=PT72H} (ISO 8601 durations).
 */
@Component
public class StallThresholds {

    /** The stages a customer can be stalled in: every stage but won and lost. */
    public static final List<Stage> OPEN = List.of(Stage.FIRST_CONTACT, Stage.NEEDS_CONFIRMED, Stage.PROPOSAL_SENT,
            Stage.PRICE_OBJECTION, Stage.TRIAL_REQUESTED);

    private static final Map<Stage, Duration> DEFAULTS = Map.of(
            Stage.FIRST_CONTACT, Duration.ofDays(7),
            Stage.NEEDS_CONFIRMED, Duration.ofDays(7),
            Stage.PROPOSAL_SENT, Duration.ofHours(72),
            Stage.PRICE_OBJECTION, Duration.ofHours(72),
            Stage.TRIAL_REQUESTED, Duration.ofDays(14));

    private final Map<Stage, Duration> thresholds = new EnumMap<>(Stage.class);

    public StallThresholds(Environment env) {
        for (Stage stage : OPEN) {
            String property = "salesledger.stalled.threshold." + stage.name();
            String value = env.getProperty(property);
            try {
                thresholds.put(stage, value == null || value.isBlank() ? DEFAULTS.get(stage) : Duration.parse(value));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(property + " must be an ISO 8601 duration such as PT72H or P7D; got '"
                        + value + "'", e);
            }
        }
    }

    public Duration of(Stage stage) {
        return thresholds.get(stage);
    }

    public Map<Stage, Duration> all() {
        return Map.copyOf(thresholds);
    }
}
