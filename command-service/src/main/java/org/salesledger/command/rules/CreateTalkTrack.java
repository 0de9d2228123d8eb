package org.salesledger.command.rules;

import java.util.List;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Add script {@code scriptId} to the talk-track knowledge base. */
public record CreateTalkTrack(@TargetAggregateIdentifier String libraryId, String scriptId, String title, String text,
                              List<String> tags, String author) {

    public CreateTalkTrack {
        Objects.requireNonNull(libraryId, "libraryId");
        Objects.requireNonNull(scriptId, "scriptId");
        Objects.requireNonNull(author, "author");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
