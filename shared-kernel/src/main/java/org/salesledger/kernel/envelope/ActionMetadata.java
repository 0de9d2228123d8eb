package org.salesledger.kernel.envelope;

/**
 * Keys of the metadata stored with every action event. Together with the payload they give back the envelope:
 * {@code id}, {@code source}, {@code actor} and {@code time} are here, {@code type} is the payload's record name,
 * {@code subject} its customer id.
 */
public final class ActionMetadata {

    /** The envelope {@code id}: the idempotency key. */
    public static final String ACTION_ID = "actionId";
    /** The envelope {@code source}. */
    public static final String SOURCE = "source";
    /** The envelope {@code actor}: rep or user id, {@code system} for rules. */
    public static final String ACTOR = "actor";
    /**
     * Who sent it (contract §7): the user of the bearer token the action came with, beside the envelope's
     * {@code actor}; {@code system} for what the system records by itself.
     */
    public static final String RECORDED_BY = "recordedBy";
    /** The envelope {@code time}: when it happened, RFC 3339 with its original offset. */
    public static final String OCCURRED_AT = "occurredAt";
    /** The IP address of the HTTP client that sent the action, when it came over HTTP. */
    public static final String CLIENT_IP = "clientIp";
    /** The device id of the sender (header {@code X-Device-Id}), when given. */
    public static final String DEVICE_ID = "deviceId";
    /** Of a rule-made action: the id of the rule that made it. */
    public static final String RULE_ID = "ruleId";
    /** Of a rule-made action: the version of the rule that made it. */
    public static final String RULE_VERSION = "ruleVersion";
    /** Of a rule-made action: the envelope id of the action whose evaluation made it. */
    public static final String CAUSED_BY = "causedBy";
    /** Of a rule-made action: the customer's sequence number of that action (what the evaluation had seen). */
    public static final String RULE_TRIGGER_SEQ = "ruleTriggerSeq";
    /** The actor of everything the system records by itself. */
    public static final String SYSTEM_ACTOR = "system";

    private ActionMetadata() {
    }
}
