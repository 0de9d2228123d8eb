package org.salesledger.projections.attribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.marketing.TouchpointRecorded;

/**
 * What the attribution read model is built with: which actions count as touches (and under which channel), and
 * for which windows every model's credit is precomputed. The projection applies it when it writes; a changed
 * definition takes effect when the read model is rebuilt (ADR 0014).
 *
 * @param touchTypes action type → the channel its touches are credited to, or {@code null} for the action's own
 *                   {@code channel} field ({@code CustomerRegistered}, {@code TouchpointRecorded})
 * @param windows    the precomputed windows, in order
 */
public record AttributionDefinition(Map<String, String> touchTypes, List<Window> windows) {

    /** Contract §2: a customer's registration and its touchpoints. */
    public static final String DEFAULT_TOUCH_TYPES = "CustomerRegistered,TouchpointRecorded";
    public static final String DEFAULT_WINDOWS = "90/7";
    private static final Set<String> WITH_OWN_CHANNEL = Set.of("CustomerRegistered", "TouchpointRecorded");

    public AttributionDefinition {
        touchTypes = java.util.Collections.unmodifiableMap(new TreeMap<>(touchTypes));
        windows = List.copyOf(new TreeSet<>(windows));
    }

    public static AttributionDefinition defaults() {
        return parse(DEFAULT_TOUCH_TYPES, DEFAULT_WINDOWS);
    }

    /**
     * Reads the settings: touch types as {@code Type} or {@code Type=channel}, comma separated (a type without
     * {@code =channel} must carry its own channel: {@code CustomerRegistered}, {@code TouchpointRecorded}); windows
     * as {@code lookbackDays/halfLifeDays}, comma separated.
     */
    public static AttributionDefinition parse(String touchTypes, String windows) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String entry : split(touchTypes)) {
            String[] parts = entry.split("=", 2);
            String type = parts[0].trim();
            String channel = parts.length == 2 ? parts[1].trim() : null;
            if (ActionTypes.byName(type).isEmpty()) {
                throw new IllegalArgumentException("salesledger.attribution.touch-types: '" + type
                        + "' is not an action type; types are " + ActionTypes.names());
            }
            if (channel != null && channel.isEmpty()) {
                throw new IllegalArgumentException("salesledger.attribution.touch-types: '" + entry
                        + "' names no channel after '='");
            }
            if (channel == null && !WITH_OWN_CHANNEL.contains(type)) {
                throw new IllegalArgumentException("salesledger.attribution.touch-types: " + type
                        + " has no channel of its own; give it one, e.g. " + type + "=field_visit");
            }
            if (types.containsKey(type)) {
                throw new IllegalArgumentException("salesledger.attribution.touch-types: " + type
                        + " is listed twice");
            }
            types.put(type, channel);
        }
        List<Window> parsed = new ArrayList<>();
        for (String entry : split(windows)) {
            try {
                parsed.add(Window.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("salesledger.attribution.precomputed-windows: " + e.getMessage());
            }
        }
        return new AttributionDefinition(types, parsed);
    }

    private static List<String> split(String list) {
        if (list == null) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The channel of {@code action} as a touch, or {@code null} when it is not one. */
    public String touchChannel(CustomerAction action) {
        String type = ActionTypes.nameOf(action);
        if (!touchTypes.containsKey(type)) {
            return null;
        }
        String fixed = touchTypes.get(type);
        if (fixed != null) {
            return fixed;
        }
        if (action instanceof CustomerRegistered registered) {
            return registered.channel();
        }
        if (action instanceof TouchpointRecorded touchpoint) {
            return touchpoint.channel();
        }
        return null;
    }

    /**
     * The precomputed window that holds {@code model}'s credit under {@code window}, if there is one: the same
     * lookback and — for {@code time_decay} — the same half-life.
     */
    public java.util.Optional<Window> precomputed(AttributionModel model, Window window) {
        return windows.stream().filter(w -> w.lookbackDays() == window.lookbackDays()
                && (!model.usesHalfLife() || w.halfLifeDays().compareTo(window.halfLifeDays()) == 0)).findFirst();
    }

    /** The touch types as the setting writes them, in a fixed order. */
    public String touchTypesText() {
        return touchTypes.entrySet().stream()
                .map(e -> e.getValue() == null ? e.getKey() : e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    public String windowsText() {
        return windows.stream().map(Window::toString).collect(Collectors.joining(","));
    }
}
