package org.salesledger.infra.identity;

import java.time.Instant;
import java.util.List;

/** A user of the organisation as it stands now (the last of its events). */
public record User(String userId, String name, List<String> roles, String team, String region, String supervisorId,
                   boolean active, long version, Instant changedAt, String changedBy) {

    public User {
        roles = List.copyOf(roles);
    }
}
