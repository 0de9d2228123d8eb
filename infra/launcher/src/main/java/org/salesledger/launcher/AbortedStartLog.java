package org.salesledger.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * While {@code salesledger run} starts the system and the start fails, keeps off the console what the system's
 * components log with a stack trace, and keeps it for {@code startup-failure.log} instead ({@link StartupFailure}).
 *
 * <p>A start that fails is said in one line. But while Spring destroys a context whose refresh failed, its
 * components stop half-started: Axon's tracking processor, for one, may log its retry with the stack trace of a
 * stream that was never opened. Those are consequences of the failure, not its cause, and they would bury the one
 * line. Only {@link RunCommand} arms this ({@link #starting()} … {@link #started()}): anywhere else, and once the
 * system is up, every event passes untouched. While armed, the abort begins when Spring says it is cancelling a
 * refresh (its warning is matched here before any logger level applies) or when the launcher gives up
 * ({@link #abort()}); from then on, any event that carries a throwable is denied on every appender and kept,
 * formatted, for the failure log (at most {@value #KEPT} of them; the log says how many more there were). Events
 * without a throwable still reach the console.
 */
public final class AbortedStartLog extends TurboFilter {

    static final String SPRING_CANCELS_REFRESH = "Exception encountered during context initialization";
    static final int KEPT = 50;

    private enum State { IDLE, STARTING, ABORTING }

    private static volatile State state = State.IDLE;
    private static final Queue<String> kept = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger keptCount = new AtomicInteger();

    /** {@code run} starts the system: a failure from now on is an abort. Nothing kept yet. */
    static void starting() {
        kept.clear();
        keptCount.set(0);
        state = State.STARTING;
    }

    /** The system is up: logging is untouched from now on. */
    static void started() {
        state = State.IDLE;
        kept.clear();
        keptCount.set(0);
    }

    /** The launcher gives up starting: if {@code run} is starting, stack traces go to the failure log only. */
    static void abort() {
        if (state == State.STARTING) {
            state = State.ABORTING;
        }
    }

    /** What was kept off the console since the abort began, oldest first. */
    static List<String> kept() {
        return new ArrayList<>(kept);
    }

    /** How many events with a stack trace the abort kept off the console beyond the {@value #KEPT} kept. */
    static int dropped() {
        return Math.max(0, keptCount.get() - KEPT);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        State now = state;
        if (now == State.IDLE) {
            return FilterReply.NEUTRAL;
        }
        if (now == State.STARTING) {
            if (format != null && format.startsWith(SPRING_CANCELS_REFRESH)) {
                abort();
            }
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last
                : null;
        if (thrown == null || logger == null || level == null) {
            return FilterReply.NEUTRAL;
        }
        if (level.isGreaterOrEqual(logger.getEffectiveLevel()) && keptCount.incrementAndGet() <= KEPT) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            String message = MessageFormatter.basicArrayFormat(format, params);
            kept.add(Instant.now() + " " + level + " " + logger.getName() + " - " + message + "\n" + trace);
        }
        return FilterReply.DENY;
    }
}
