package org.salesledger.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code salesledger run} prints when the system does not start: one line with the reasons (each cause's
 * message, outermost first, repeats left out), never a stack trace; the stack trace goes to
 * {@code startup-failure.log} in the data directory, which the line names, followed by what components logged with a
 * stack trace while the start was being aborted ({@link AbortedStartLog}).
 */
final class StartupFailure {

    static final String LOG_FILE = "startup-failure.log";

    private StartupFailure() {
    }

    static String line(Throwable failure, Path dataDir) {
        String reasons = reasons(failure);
        Path log = write(failure, dataDir);
        return "salesledger: could not start: " + reasons + (log == null ? "" : " (details: " + log + ")");
    }

    static String reasons(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null && messages.size() < 8; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName()
                    : t.getMessage().replaceAll("\\s+", " ").trim();
            if (messages.stream().noneMatch(m -> m.contains(message))) {
                messages.removeIf(message::contains);
                messages.add(message);
            }
        }
        return String.join(": ", messages);
    }

    private static Path write(Throwable failure, Path dataDir) {
        if (dataDir == null || !Files.isDirectory(dataDir)) {
            return null;
        }
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        List<String> kept = AbortedStartLog.kept();
        if (!kept.isEmpty()) {
            trace.append("\nLogged with a stack trace while the start was being aborted (kept off the console):\n");
            kept.forEach(entry -> trace.append('\n').append(entry));
            if (AbortedStartLog.dropped() > 0) {
                trace.append("\n" + AbortedStartLog.dropped() + " more not kept\n");
            }
        }
        Path log = dataDir.resolve(LOG_FILE);
        try {
            Files.writeString(log, java.time.Instant.now() + " salesledger run could not start\n" + trace,
                    StandardCharsets.UTF_8);
            return log;
        } catch (IOException e) {
            return null;
        }
    }
}
