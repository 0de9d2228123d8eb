package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * While a failed start is being aborted, what components log with a stack trace stays off the console and goes to
 * startup-failure.log after the cause; before the abort, and without a throwable, logging is untouched.
 */
class AbortedStartLogTest {

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> console = new ListAppender<>();

    @TempDir
    Path dataDir;

    @BeforeEach
    void console() {
        AbortedStartLog.reset();
        AbortedStartLog filter = new AbortedStartLog();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        console.setContext(context);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger("org.springframework.context").setLevel(Level.ERROR);
    }

    @AfterEach
    void noAbortLeftForOtherTests() {
        AbortedStartLog.reset();
    }

    @Test
    void beforeAnAbortAStackTraceReachesTheConsole() {
        processor().warn("Releasing claim on token and preparing for retry in {}s", 1, new IllegalStateException("x"));

        assertThat(console.list).singleElement().extracting(ILoggingEvent::getThrowableProxy).isNotNull();
        assertThat(AbortedStartLog.kept()).isEmpty();
    }

    @Test
    void onceSpringCancelsARefreshStackTracesGoToTheFailureLogOnly() throws Exception {
        context.getLogger("org.springframework.context").warn(
                "Exception encountered during context initialization - cancelling refresh attempt: port taken");
        processor().warn("Releasing claim on token and preparing for retry in {}s", 1,
                new NullPointerException("eventStream is null"));
        processor().info("Shutdown of processor [pool-owners] is completed");
        processor().debug("below the level: {}", "x", new IllegalStateException("not kept"));

        assertThat(console.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("Shutdown of processor [pool-owners] is completed");
        assertThat(AbortedStartLog.kept()).singleElement().asString()
                .contains("WARN org.axonframework.eventhandling.TrackingEventProcessor")
                .contains("preparing for retry in 1s")
                .contains("java.lang.NullPointerException: eventStream is null")
                .containsPattern("(?m)^\\s+at ");

        String line = StartupFailure.line(new IllegalStateException("Port 8080 is already in use"), dataDir);
        String log = Files.readString(dataDir.resolve(StartupFailure.LOG_FILE));
        assertThat(line).doesNotContain("eventStream");
        assertThat(log.indexOf("Port 8080 is already in use")).isLessThan(log.indexOf("eventStream is null"));
    }

    @Test
    void theLauncherGivingUpBeginsTheAbortToo() {
        AbortedStartLog.begin();
        processor().error("failed", new IllegalStateException("while closing"));

        assertThat(console.list).isEmpty();
        assertThat(AbortedStartLog.kept()).singleElement().asString().contains("while closing");
    }

    @Test
    void aNewStartForgetsAnEarlierAbort() {
        AbortedStartLog.begin();
        processor().warn("kept", new IllegalStateException("one"));
        AbortedStartLog.reset();
        processor().warn("shown", new IllegalStateException("two"));

        assertThat(console.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("shown");
        assertThat(AbortedStartLog.kept()).isEmpty();
    }

    private Logger processor() {
        return context.getLogger("org.axonframework.eventhandling.TrackingEventProcessor");
    }
}
