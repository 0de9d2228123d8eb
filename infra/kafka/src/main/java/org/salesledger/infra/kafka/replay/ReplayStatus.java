package org.salesledger.infra.kafka.replay;

import java.time.Instant;

/**
 * The progress resource of one replay into a named topic.
 *
 * @param id              the replay's id, its address under {@code /api/v1/admin/kafka-replays/}
 * @param topic           the topic it publishes into
 * @param from            the first stored moment it covers ({@code null}: from the first event)
 * @param state           {@code PREPARING} (counting), {@code PUBLISHING}, {@code DONE} or {@code FAILED}
 * @param eventsDone      stored events read so far
 * @param eventsTotal     stored events the replay covers: those stored from {@code from} to the moment it started
 * @param published       envelopes Kafka acknowledged (events of other aggregates are not published)
 * @param skipped         events that could not be turned into an envelope (see the log)
 * @param eventsPerSecond events read per second so far
 * @param etaSeconds      time left at that rate, {@code null} until known
 */
public record ReplayStatus(String id, String topic, Instant from, State state, long eventsDone, long eventsTotal,
                           long published, long skipped, double eventsPerSecond, Long etaSeconds, Instant startedAt,
                           Instant finishedAt, String message) {

    public enum State { PREPARING, PUBLISHING, DONE, FAILED }

    public boolean finished() {
        return state == State.DONE || state == State.FAILED;
    }
}
