package org.salesledger.infra.kafka.relay;

/**
 * A stored event that can never be published as it is: its payload cannot be read, or its envelope is larger than
 * the topic takes. The relay parks it (with the customer's later events behind it) instead of retrying forever.
 */
class PoisonEventException extends RuntimeException {

    PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
