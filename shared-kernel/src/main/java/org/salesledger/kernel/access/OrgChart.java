package org.salesledger.kernel.access;

import java.util.Map;

/**
 * The organisation as the time-driven rules need it (contract §6–§7): who supervises each rep, and who directs each
 * region. An {@code ESCALATE} or {@code IDLE} rule's {@code to} is resolved through it when the rule fires:
 * {@code owner.supervisor} is the customer's owner's supervisor, {@code region.director} the director of the
 * customer's region, and anything else a user id as written. A code the chart cannot resolve (an owner without a
 * supervisor, a region without a director) is kept as written, so the escalation is still listed under it.
 */
public record OrgChart(Map<String, String> supervisorOf, Map<String, String> directorOf) {

    public static final OrgChart EMPTY = new OrgChart(Map.of(), Map.of());
    public static final String OWNER_SUPERVISOR = "owner.supervisor";
    public static final String REGION_DIRECTOR = "region.director";

    public OrgChart {
        supervisorOf = Map.copyOf(supervisorOf);
        directorOf = Map.copyOf(directorOf);
    }

    /** Whom {@code to} names for a customer owned by {@code owner} in {@code region}; {@code null} stays null. */
    public String resolve(String to, String owner, String region) {
        if (to == null) {
            return null;
        }
        String resolved = switch (to) {
            case OWNER_SUPERVISOR -> owner == null ? null : supervisorOf.get(owner);
            case REGION_DIRECTOR -> region == null ? null : directorOf.get(region);
            default -> to;
        };
        return resolved == null ? to : resolved;
    }
}
