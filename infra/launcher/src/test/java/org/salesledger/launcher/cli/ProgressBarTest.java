package org.salesledger.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void showsShareRateAndTimeLeft() {
        String line = ProgressBar.render(250, 1000, 12_345, Duration.ofSeconds(10));

        assertThat(line).startsWith("[######------------------]  25%")
                .contains("12,345 lines", "1,235 lines/s", "ETA 0:30");
    }

    @Test
    void aFinishedUploadIsFull() {
        assertThat(ProgressBar.render(1000, 1000, 10, Duration.ofSeconds(1))).startsWith("[" + "#".repeat(24) + "] 100%");
    }

    @Test
    void anUnknownSizeHasNoEta() {
        assertThat(ProgressBar.render(10, 0, 1, Duration.ofSeconds(1))).endsWith("ETA --:--");
    }

    @Test
    void longDurationsShowHours() {
        assertThat(ProgressBar.duration(Duration.ofSeconds(3 * 3600 + 62))).isEqualTo("3:01:02");
    }
}
