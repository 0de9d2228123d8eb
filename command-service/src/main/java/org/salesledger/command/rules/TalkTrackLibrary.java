package org.salesledger.command.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.salesledger.kernel.talktrack.TalkTrackScriptCreated;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.salesledger.command.store.StoredEvents;

/**
 * The talk-track scripts as the HTTP API and the rule checks read them, from the knowledge base's own event stream
 * (read again only when it has grown), and adding one.
 */
@Service
public class TalkTrackLibrary {

    /** One script and when and by whom it was added. */
    public record Script(String id, String title, String text, List<String> tags, String author, Instant createdAt) {
    }

    private final EventStore events;
    private final StoredEvents stored;
    private final CommandGateway commands;
    private final TransactionTemplate transaction;
    private final Map<String, Script> scripts = new LinkedHashMap<>();
    private long position = -1;

    TalkTrackLibrary(EventStore events, StoredEvents stored, CommandGateway commands, TransactionTemplate transaction) {
        this.events = events;
        this.stored = stored;
        this.commands = commands;
        this.transaction = transaction;
    }

    public synchronized List<Script> scripts() {
        OptionalLong head = stored.lastSequence(TalkTrackScripts.ID);
        if (head.isPresent() && head.getAsLong() > position) {
            DomainEventStream stream = events.readEvents(TalkTrackScripts.ID, position + 1);
            while (stream.hasNext()) {
                DomainEventMessage<?> message = stream.next();
                if (message.getPayload() instanceof TalkTrackScriptCreated s) {
                    scripts.put(s.scriptId(), new Script(s.scriptId(), s.title(), s.text(), s.tags(), s.author(),
                            message.getTimestamp()));
                }
                position = message.getSequenceNumber();
            }
        }
        return new ArrayList<>(scripts.values());
    }

    public boolean exists(String scriptId) {
        return scripts().stream().anyMatch(s -> s.id().equals(scriptId));
    }

    /** Adds a script; answers {@code null} when added, else the reason it was not. */
    public String create(String scriptId, String title, String text, List<String> tags, String author) {
        CreateTalkTrack command = new CreateTalkTrack(TalkTrackScripts.ID, scriptId, title, text, tags, author);
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.execute(status -> commands.sendAndWait(command));
            } catch (RuntimeException e) {
                boolean conflict = false;
                for (Throwable t = e; t != null; t = t.getCause()) {
                    conflict |= t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException;
                }
                if (!conflict || attempt == 8) {
                    throw e;
                }
            }
        }
    }
}
