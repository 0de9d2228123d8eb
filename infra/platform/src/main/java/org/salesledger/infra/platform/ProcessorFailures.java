package org.salesledger.infra.platform;

import java.util.Optional;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A processor whose handler fails on an event stops and tries that batch again; it never goes on without the event.
 *
 * <p>Axon's default for a processor without a dead-letter queue is to log a handler's exception and go on
 * ({@code LoggingErrorHandler}): the event would be skipped by that processor. A failed SQL statement was already
 * tried again (PostgreSQL aborts the batch's transaction, token and all), any other exception was not. Here every
 * handler's exception is passed on to the processor, which rolls the batch back, releases the segment and claims
 * it again after a back-off: the command side's {@code rules}, {@code timers} and {@code pool-owners} stop at the
 * event until its cause is gone, and their lag shows it. The read models and the Kafka relay keep parking a failed
 * customer's events in their dead-letter queues: Axon's dead-lettering invoker does not use this handler.
 */
@AutoConfiguration
public class ProcessorFailures {

    @Bean
    ConfigurerModule processorsStopAtAFailedEvent() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance()));
    }

    /**
     * A failed batch's cause as the health components show it: the innermost cause, in one line (what a person looks
     * for first); "the batch's transaction was rolled back" when there is none.
     */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "the batch's transaction was rolled back";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = Optional.ofNullable(root.getMessage()).orElse("");
        return root.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
    }

    /** Whether a batch failed because another node claimed its segment: nothing of it is then this node's to show. */
    public static boolean lostClaim(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnableToClaimTokenException) {
                return true;
            }
        }
        return false;
    }
}
