package org.salesledger.projections.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One applied action and the fields of the {@link CustomerState} it changed (contract §9): {@code time} as sent,
 * {@code recordedAt} when the event store stored it (UTC, as the timeline shows it). {@code changes} is empty for
 * an action that changed none of them (a snooze to the date already set, a tag another rule already set…).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ActionChanges(String actionId, String type, String time, OffsetDateTime recordedAt,
                            List<FieldChange> changes) {

    /** A field and its values before and after the action ({@code null}: none). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FieldChange(String field, Object before, Object after) {
    }
}
