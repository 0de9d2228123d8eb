package org.salesledger.command.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    static List<String> lines(String body, int maxLine, long maxBody) throws IOException {
        LineReader reader = new LineReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), maxLine,
                maxBody);
        List<String> lines = new ArrayList<>();
        for (String line = reader.next(); line != null; line = reader.next()) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void readsLinesEndingInLfOrCrLfAndALastLineWithoutBreak() throws IOException {
        assertThat(lines("a\nb\r\nc", 100, 1000)).containsExactly("a", "b", "c");
    }

    @Test
    void anEmptyBodyHasNoLines() throws IOException {
        assertThat(lines("", 100, 1000)).isEmpty();
    }

    @Test
    void keepsEmptyLinesSoThatLineNumbersStayTrue() throws IOException {
        assertThat(lines("a\n\nb\n", 100, 1000)).containsExactly("a", "", "b");
    }

    @Test
    void aLineOverTheLimitIsSkippedAndTheNextOneStillRead() throws IOException {
        assertThat(lines("short\n" + "x".repeat(50) + "\nnext\n", 10, 1000))
                .containsExactly("short", LineReader.TOO_LONG, "next");
    }

    @Test
    void readsLinesSpanningTheBufferBoundary() throws IOException {
        String longLine = "é".repeat(40_000);
        assertThat(lines(longLine + "\n" + longLine + "\n", 1_000_000, 10_000_000)).containsExactly(longLine, longLine);
    }

    @Test
    void aBodyOverTheLimitStopsTheReading() {
        assertThatThrownBy(() -> lines("x".repeat(200_000), 1_000_000, 100_000))
                .isInstanceOf(BodyTooLargeException.class).hasMessageContaining("100000");
    }
}
