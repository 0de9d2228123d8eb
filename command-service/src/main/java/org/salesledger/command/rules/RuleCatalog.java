package org.salesledger.command.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.salesledger.kernel.rules.RulePublished;
import org.salesledger.kernel.rules.RuleRetired;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.salesledger.command.store.StoredEvents;

/**
 * Every node's view of the rulebook: the history of every rule (for the HTTP API) and the active rules compiled
 * ({@link RuleSet}, for the evaluators), built from the rulebook's own event stream. Each node polls the stream's
 * head every {@code salesledger.rules.refresh-interval} (default 1 s; one indexed query) and reads only the new
 * events, so a rule published on any node acts on every node within about a second, without a restart. The node
 * that published refreshes at once.
 */
@Component
public class RuleCatalog {

    private static final Logger log = LoggerFactory.getLogger(RuleCatalog.class);

    private final EventStore events;
    private final StoredEvents stored;
    private final RuleConditions cel;
    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService poller;

    private final Map<String, List<RuleVersion>> history = new LinkedHashMap<>();
    private final Map<String, CompiledRule> active = new LinkedHashMap<>();
    private final Map<String, Integer> versions = new LinkedHashMap<>();
    private long position = -1;
    private long timePosition = -1;
    private volatile boolean loaded;
    private volatile RuleSet current = RuleSet.EMPTY;
    private volatile Map<String, List<RuleVersion>> published = Map.of();

    RuleCatalog(EventStore events, StoredEvents stored, RuleConditions cel,
                RulesSettings settings) {
        Duration refreshInterval = settings.refreshInterval();
        this.events = events;
        this.stored = stored;
        this.cel = cel;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "rule-catalog");
            thread.setDaemon(true);
            return thread;
        });
        long every = refreshInterval.toMillis();
        poller.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** The active rules now (read from the rulebook first, on the first call). */
    public RuleSet rules() {
        loadOnce();
        return current;
    }

    /** Every rule's history, oldest version first, rules in the order they were first published. */
    public Map<String, List<RuleVersion>> history() {
        loadOnce();
        return published;
    }

    public Optional<List<RuleVersion>> history(String ruleId) {
        return Optional.ofNullable(history().get(ruleId));
    }

    private void loadOnce() {
        if (!loaded) {
            refresh();
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("could not refresh the rules; trying again shortly: {}", e.toString());
        }
    }

    /** Reads the rulebook events stored since the last refresh, if any. */
    public synchronized void refresh() {
        OptionalLong head = stored.lastSequence(Rulebook.ID);
        if (head.isEmpty() || head.getAsLong() <= position) {
            loaded = true;
            return;
        }
        DomainEventStream stream = events.readEvents(Rulebook.ID, position + 1);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            Object payload = message.getPayload();
            if (payload instanceof RulePublished p) {
                published(p, message);
                if (isTimeDriven(String.valueOf(p.rule().get("kind")))) {
                    timePosition = message.getSequenceNumber();
                }
            } else if (payload instanceof RuleRetired r) {
                List<RuleVersion> before = history.get(r.ruleId());
                retired(r, message);
                if (before != null && !before.isEmpty() && isTimeDriven(before.get(0).kind())) {
                    timePosition = message.getSequenceNumber();
                }
            }
            position = message.getSequenceNumber();
        }
        current = new RuleSet(position, new ArrayList<>(active.values()), versions, timePosition);
        Map<String, List<RuleVersion>> copy = new LinkedHashMap<>();
        history.forEach((id, list) -> copy.put(id, List.copyOf(list)));
        published = java.util.Collections.unmodifiableMap(copy);
        loaded = true;
    }

    private static boolean isTimeDriven(String kind) {
        try {
            return RuleKind.valueOf(kind).timeDriven();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void published(RulePublished p, DomainEventMessage<?> message) {
        List<RuleVersion> versionsOfRule = history.computeIfAbsent(p.ruleId(), id -> new ArrayList<>());
        supersede(versionsOfRule);
        versionsOfRule.add(new RuleVersion(p.ruleId(), p.version(), p.previousVersion(), RuleVersion.Status.ACTIVE,
                String.valueOf(p.rule().get("kind")), p.rule(), p.author(), p.reason(), message.getTimestamp()));
        versions.put(p.ruleId(), p.version());
        RuleParser.Parsed parsed = RuleParser.parse(json.valueToTree(p.rule()), cel, script -> true);
        if (parsed.ok()) {
            active.put(p.ruleId(), new CompiledRule(p.ruleId(), p.version(), parsed.definition(), parsed.when(),
                    parsed.classes()));
        } else {
            active.remove(p.ruleId());
            log.error("rule {} version {} no longer compiles and does not act: {}", p.ruleId(), p.version(),
                    parsed.errors());
        }
    }

    private void retired(RuleRetired r, DomainEventMessage<?> message) {
        List<RuleVersion> versionsOfRule = history.computeIfAbsent(r.ruleId(), id -> new ArrayList<>());
        supersede(versionsOfRule);
        versionsOfRule.add(new RuleVersion(r.ruleId(), r.version(), r.previousVersion(), RuleVersion.Status.RETIRED,
                versionsOfRule.isEmpty() ? null : versionsOfRule.get(0).kind(), null, r.author(), r.reason(),
                message.getTimestamp()));
        versions.put(r.ruleId(), r.version());
        active.remove(r.ruleId());
    }

    private static void supersede(List<RuleVersion> versionsOfRule) {
        if (!versionsOfRule.isEmpty()) {
            int last = versionsOfRule.size() - 1;
            RuleVersion before = versionsOfRule.get(last);
            if (before.status() == RuleVersion.Status.ACTIVE) {
                versionsOfRule.set(last, before.withStatus(RuleVersion.Status.SUPERSEDED));
            }
        }
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }
}
