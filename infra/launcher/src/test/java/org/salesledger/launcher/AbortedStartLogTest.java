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
 * While {@code run}'s failed start is being aborted, what components log with a stack trace stays off the console and
 * goes to startup-failure.log after the cause; before the abort, without a throwable, and outside {@code run}'s start,
 * logging is untouched.
 */
class AbortedStartLogTest {

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> console = new ListAppender<>();

    @TempDir
    Path dataDir;

    @BeforeEach
    void console() {
        AbortedStartLog.starting();
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
        AbortedStartLog.started();
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
        AbortedStartLog.abort();
        processor().error("failed", new IllegalStateException("while closing"));

        assertThat(console.list).isEmpty();
        assertThat(AbortedStartLog.kept()).singleElement().asString().contains("while closing");
    }

    @Test
    void aStartThatEndsUpForgetsAnEarlierAbort() {
        AbortedStartLog.abort();
        processor().warn("kept", new IllegalStateException("one"));
        AbortedStartLog.started();
        processor().warn("shown", new IllegalStateException("two"));

        assertThat(console.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("shown");
        assertThat(AbortedStartLog.kept()).isEmpty();
    }

    @Test
    void outsideRunsStartNeitherSpringsWarningNorTheLauncherBeginsAnAbort() {
        AbortedStartLog.started();
        context.getLogger("org.springframework.context").warn(
                "Exception encountered during context initialization - cancelling refresh attempt: port taken");
        AbortedStartLog.abort();
        processor().warn("shown", new IllegalStateException("in a test's own context"));

        assertThat(console.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("shown");
        assertThat(AbortedStartLog.kept()).isEmpty();
    }

    @Test
    void beyondTheKeptOnesTheFailureLogSaysHowManyMoreThereWere() throws Exception {
        AbortedStartLog.abort();
        for (int i = 0; i < AbortedStartLog.KEPT + 3; i++) {
            processor().warn("retry {}", i, new IllegalStateException("again"));
        }

        assertThat(console.list).isEmpty();
        assertThat(AbortedStartLog.kept()).hasSize(AbortedStartLog.KEPT);
        StartupFailure.line(new IllegalStateException("Port 8080 is already in use"), dataDir);
        assertThat(Files.readString(dataDir.resolve(StartupFailure.LOG_FILE))).contains("3 more not kept");
    }

    private Logger processor() {
        return context.getLogger("org.axonframework.eventhandling.TrackingEventProcessor");
    }
}
