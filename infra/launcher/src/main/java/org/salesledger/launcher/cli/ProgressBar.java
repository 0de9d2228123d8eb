package org.salesledger.launcher.cli;

import java.time.Duration;
import java.util.Locale;

/** Renders one line of progress: bar, percentage, lines, rate and time left. Pure formatting, no I/O. */
final class ProgressBar {

    static final int WIDTH = 24;

    private ProgressBar() {
    }

    /**
     * @param bytesDone bytes sent so far
     * @param bytesTotal size of the file (0 when unknown)
     * @param lines lines sent so far
     * @param elapsed time since the start
     */
    static String render(long bytesDone, long bytesTotal, long lines, Duration elapsed) {
        return render(bytesDone, bytesTotal, lines, "lines", elapsed);
    }

    /** The same with another unit than lines ("events"). */
    static String render(long bytesDone, long bytesTotal, long lines, String unit, Duration elapsed) {
        double fraction = bytesTotal <= 0 ? 0 : Math.min(1.0, (double) bytesDone / bytesTotal);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        long rate = Math.round(lines / seconds);
        String eta = fraction <= 0 ? "--:--" : duration(Duration.ofMillis(
                Math.round(elapsed.toMillis() * (1 - fraction) / fraction)));
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %s %s  %s %s/s  ETA %s",
                "#".repeat(filled), "-".repeat(WIDTH - filled), Math.round(fraction * 100), thousands(lines), unit,
                thousands(rate), unit, eta);
    }

    static String thousands(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
