package org.salesledger.command.rules;

import java.util.List;
import java.util.Map;

/**
 * The active rules at one moment, compiled, as every evaluation uses them: immutable, so an evaluation that
 * started keeps its rules while a newer set replaces this one. {@code versions} has the latest version of every
 * rule ever published, retired ones included; {@code position} is the rulebook's last sequence number and
 * {@code timePosition} the sequence number of the last change to a time-driven rule ({@code -1}: none yet).
 */
public record RuleSet(long position, List<CompiledRule> active, Map<String, Integer> versions, long timePosition) {

    public static final RuleSet EMPTY = new RuleSet(-1, List.of(), Map.of(), -1);

    public RuleSet {
        active = List.copyOf(active);
        versions = Map.copyOf(versions);
    }

    public List<CompiledRule> ofKind(RuleKind kind) {
        return active.stream().filter(r -> r.kind() == kind).toList();
    }

    /** The active time-driven rules (ESCALATE, IDLE, POOL, COLLECTION), in publishing order. */
    public List<CompiledRule> timeDriven() {
        return active.stream().filter(r -> r.kind().timeDriven()).toList();
    }

    /** Whether any event-driven rule (TAG, CLASSIFY, TALK_TRACK) is active: if none, evaluations are skipped. */
    public boolean hasEventDriven() {
        return active.stream().anyMatch(r -> r.kind().eventDriven());
    }
}
