package org.salesledger.infra.kafka;

/** Kafka could not be reached or did not acknowledge in time: worth trying again later. */
public class KafkaUnavailableException extends RuntimeException {

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
