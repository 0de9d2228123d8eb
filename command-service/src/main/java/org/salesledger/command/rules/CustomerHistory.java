package org.salesledger.command.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.salesledger.command.customer.RuleState;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.envelope.ActionData;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.envelope.StoredTimes;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.rules.RuleMade;

/**
 * One customer's actions as rule conditions see them, and what the rules have recorded on it so far. Builds the CEL
 * context of contract §6 as of any of its actions: {@code customer} (registration data, current owner, stage,
 * tags, class), {@code events} (the actions stored up to that one, rule-made ones left out, oldest first by
 * {@code time} — at most the {@code maxEvents} most recently stored) and {@code now}.
 */
public final class CustomerHistory {

    /** One stored action of the customer. */
    public record Entry(long seq, String actionId, CustomerAction action, String time, Instant occurredAt,
                        String actor) {
    }

    private final String customerId;
    private final List<Entry> entries;
    private final RuleState state = new RuleState();
    private final Map<Long, Map<String, Object>> celEvents = new LinkedHashMap<>();
    private boolean locked;

    public CustomerHistory(String customerId, List<Entry> entries) {
        this.customerId = customerId;
        this.entries = List.copyOf(entries);
        for (Entry entry : this.entries) {
            state.apply(entry.action());
        }
    }

    /** Reads the customer's whole stream from the event store. */
    public static CustomerHistory read(EventStore events, String customerId) {
        List<Entry> entries = new ArrayList<>();
        List<Long> triggers = new ArrayList<>();
        DomainEventStream stream = events.readEvents(customerId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            if (message.getPayload() instanceof CustomerAction action) {
                entries.add(entry(message.getSequenceNumber(), action, message.getMetaData()));
                Object trigger = message.getMetaData().get(ActionMetadata.RULE_TRIGGER_SEQ);
                if (action instanceof RuleMade && trigger != null) {
                    triggers.add(Long.parseLong(trigger.toString()));
                }
            }
        }
        CustomerHistory history = new CustomerHistory(customerId, entries);
        triggers.forEach(history.state::evaluated);
        return history;
    }

    /** An entry from a stored action and its metadata. */
    public static Entry entry(long seq, CustomerAction action, Map<String, ?> metadata) {
        String time = String.valueOf(metadata.get(ActionMetadata.OCCURRED_AT));
        return new Entry(seq, String.valueOf(metadata.get(ActionMetadata.ACTION_ID)), action, time,
                StoredTimes.offsetDateTime(time).toInstant(), String.valueOf(metadata.get(ActionMetadata.ACTOR)));
    }

    public String customerId() {
        return customerId;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** What the rules have recorded on the customer (as read, plus what was applied since). */
    public RuleState state() {
        return state;
    }

    public Entry at(long seq) {
        for (Entry entry : entries) {
            if (entry.seq() == seq) {
                return entry;
            }
        }
        return null;
    }

    boolean locked() {
        return locked;
    }

    void markLocked() {
        locked = true;
    }

    /** Whether the customer was registered by this action (or before it). */
    public boolean registeredAt(long seq) {
        return !entries.isEmpty() && entries.get(0).action() instanceof CustomerRegistered && entries.get(0).seq() <= seq;
    }

    /** The CEL variables {@code customer}, {@code events} and {@code now} as of the action {@code seq}. */
    public Map<String, Object> variablesAt(Entry trigger, int maxEvents) {
        Map<String, Object> customer = new LinkedHashMap<>();
        CustomerRegistered registered = null;
        String owner = "";
        Stage stage = null;
        List<Entry> seen = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.seq() > trigger.seq()) {
                break;
            }
            CustomerAction action = entry.action();
            if (action instanceof RuleMade) {
                continue;
            }
            if (action instanceof CustomerRegistered r) {
                registered = r;
                owner = r.ownerRepId() == null ? "" : r.ownerRepId().value();
            } else if (action instanceof CustomerReassigned r && r.toRepId() != null) {
                owner = r.toRepId().value();
            }
            stage = Lifecycle.next(stage, action);
            seen.add(entry);
        }
        customer.put("id", customerId);
        customer.put("name", text(registered == null ? null : registered.name()));
        customer.put("region", text(registered == null ? null : registered.region()));
        customer.put("team", text(registered == null ? null : registered.team()));
        customer.put("ownerRepId", owner);
        customer.put("channel", text(registered == null ? null : registered.channel()));
        customer.put("category", text(registered == null ? null : registered.category()));
        customer.put("stage", stage == null ? "" : stage.name());
        customer.put("tags", List.copyOf(state.tags()));
        customer.put("class", text(state.customerClass()));
        List<Entry> window = seen.size() > maxEvents ? seen.subList(seen.size() - maxEvents, seen.size()) : seen;
        List<Entry> byTime = new ArrayList<>(window);
        byTime.sort(Comparator.comparing(Entry::occurredAt));
        List<Object> events = new ArrayList<>(byTime.size());
        for (Entry entry : byTime) {
            events.add(event(entry));
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("customer", customer);
        variables.put("events", events);
        variables.put("now", trigger.occurredAt());
        return variables;
    }

    /** An action as CEL sees it: {@code {type, time, actor, data}}. */
    public Map<String, Object> event(Entry entry) {
        return celEvents.computeIfAbsent(entry.seq(), seq -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", ActionTypes.nameOf(entry.action()));
            event.put("time", entry.occurredAt());
            event.put("actor", entry.actor());
            event.put("data", cel(ActionData.render(entry.action())));
            return event;
        });
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** JSON as CEL values: strings, booleans, whole numbers as int, others as double, lists, maps, null. */
    static Object cel(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(cel(item)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> map.put(field.getKey(), cel(field.getValue())));
        return map;
    }
}
