package org.salesledger.kernel.talktrack;

import java.util.List;
import java.util.Objects;

/** A script was added to the talk-track knowledge base, by {@code author}. TALK_TRACK rules suggest scripts by id. */
public record TalkTrackScriptCreated(String scriptId, String title, String text, List<String> tags, String author) {

    public TalkTrackScriptCreated {
        Objects.requireNonNull(scriptId, "scriptId");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
