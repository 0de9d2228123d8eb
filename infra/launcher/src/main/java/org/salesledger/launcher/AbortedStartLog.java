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
 * Keeps off the console what the system's components log with a stack trace while a start is being aborted, and
 * keeps it for {@code startup-failure.log} instead ({@link StartupFailure}).
 *
 * <p>A start that fails is said in one line. But while Spring destroys a context whose refresh failed, its
 * components stop half-started: Axon's tracking processor, for one, may log its retry with the stack trace of a
 * stream that was never opened. Those are consequences of the failure, not its cause, and they would bury the one
 * line. The abort begins when Spring says it is cancelling a refresh (its warning is matched here before any
 * logger level applies) or when the launcher itself gives up ({@link #begin()}); from then on, any event that
 * carries a throwable is denied on every appender and kept, formatted, for the failure log (at most
 * {@value #KEPT} of them). Events without a throwable still reach the console.
 */
public final class AbortedStartLog extends TurboFilter {

    static final String SPRING_CANCELS_REFRESH = "Exception encountered during context initialization";
    static final int KEPT = 50;

    private static volatile boolean aborting;
    private static final Queue<String> kept = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger keptCount = new AtomicInteger();

    /** The launcher gives up starting: from now on, stack traces go to the failure log only. */
    static void begin() {
        aborting = true;
    }

    /** What was kept off the console since the abort began, oldest first. */
    static List<String> kept() {
        return new ArrayList<>(kept);
    }

    /** A new start begins ({@link EmbeddedSystem#start}): nothing is being aborted, nothing kept. */
    static void reset() {
        aborting = false;
        kept.clear();
        keptCount.set(0);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (!aborting && format != null && format.startsWith(SPRING_CANCELS_REFRESH)) {
            aborting = true;
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last
                : null;
        if (!aborting || thrown == null || logger == null || level == null) {
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
