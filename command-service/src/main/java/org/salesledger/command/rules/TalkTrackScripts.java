package org.salesledger.command.rules;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.salesledger.kernel.talktrack.TalkTrackScriptCreated;

/**
 * The talk-track knowledge base: scripts that TALK_TRACK rules suggest, each added once under its id (an id is
 * never reused, so a suggestion always means the script it named). One aggregate, {@value #ID}.
 */
@Aggregate
class TalkTrackScripts {

    static final String ID = "salesledger:talktracks";

    @AggregateIdentifier
    private String libraryId;
    private final Set<String> scripts = new HashSet<>();

    TalkTrackScripts() {
    }

    /** Answers {@code null} when added, else why not. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    String handle(CreateTalkTrack command) {
        if (scripts.contains(command.scriptId())) {
            return "a script '" + command.scriptId() + "' exists already; script ids are never reused";
        }
        apply(new TalkTrackScriptCreated(command.scriptId(), command.title(), command.text(), command.tags(),
                command.author()));
        return null;
    }

    @EventSourcingHandler
    void on(TalkTrackScriptCreated created) {
        libraryId = ID;
        scripts.add(created.scriptId());
    }
}
