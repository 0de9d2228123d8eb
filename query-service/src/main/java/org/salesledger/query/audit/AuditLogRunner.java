package org.salesledger.query.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The audit log's one background thread: appends what the store has ({@link AuditAppender}), signs a checkpoint when
 * the tree has grown and the last checkpoint is {@code checkpoint-interval} old (none while nothing arrives), and
 * publishes checkpoints ({@link CheckpointPublisher}). Off the command path: it reads what is already committed.
 */
final class AuditLogRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditLogRunner.class);

    private final AuditAppender appender;
    private final Checkpoints checkpoints;
    private final CheckpointPublisher publisher;
    private final AuditSettings settings;
    private final Clock clock;
    private volatile boolean running;
    private Thread thread;

    AuditLogRunner(AuditAppender appender, Checkpoints checkpoints, CheckpointPublisher publisher,
                   AuditSettings settings, Clock clock) {
        this.appender = appender;
        this.checkpoints = checkpoints;
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "salesledger-audit-log");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        publisher.close();
    }

    @Override
    public boolean isAutoStartup() {
        return settings.enabled();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Duration backoff = settings.pollInterval();
        while (running) {
            try {
                AuditAppender.Step step = appender.step();
                signIfDue();
                publisher.publishPending();
                backoff = settings.pollInterval();
                if (step.appended() == 0) {
                    sleep(settings.pollInterval());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("audit log: a step failed, retrying in {}: {}", backoff, e.toString(), e);
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                        : backoff.multipliedBy(2);
            }
        }
    }

    /** A checkpoint when the tree grew since the last one and that one is at least the interval old. */
    private void signIfDue() {
        long size = checkpoints.treeSize();
        if (size == 0) {
            return;
        }
        Optional<Checkpoints.Stored> last = checkpoints.latest();
        Instant now = clock.instant();
        if (last.isEmpty() || (last.get().size() < size
                && !last.get().signedAt().plus(settings.checkpointInterval()).isAfter(now))) {
            checkpoints.sign(size);
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
