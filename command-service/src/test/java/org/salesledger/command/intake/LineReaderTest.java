package org.salesledger.command.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading an NDJSON body line by line, within a line limit and a body limit. */
class LineReaderTest {

    /** The size of the reader's buffer: lines that cross it must come out whole. */
    private static final int BUFFER = 64 * 1024;

    private static final int NO_LINE_LIMIT = 10_000_000;
    private static final long NO_BODY_LIMIT = 100_000_000;

    static List<String> lines(String body) throws IOException {
        return lines(body, NO_LINE_LIMIT, NO_BODY_LIMIT);
    }

    static List<String> lines(String body, int maxLineBytes, long maxBodyBytes) throws IOException {
        return readAll(new LineReader(stream(body), maxLineBytes, maxBodyBytes));
    }

    static List<String> readAll(LineReader reader) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = reader.next(); line != null; line = reader.next()) {
            lines.add(line);
        }
        return lines;
    }

    static InputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A stream that gives at most one byte per read, as a slow network may. */
    static InputStream trickling(String body) {
        return new FilterInputStream(stream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void readsLinesEndingInLf() throws IOException {
        assertThat(lines("{\"a\":1}\n{\"b\":2}\n")).containsExactly("{\"a\":1}", "{\"b\":2}");
    }

    @Test
    void readsLinesEndingInCrLf() throws IOException {
        assertThat(lines("{\"a\":1}\r\n{\"b\":2}\r\n")).containsExactly("{\"a\":1}", "{\"b\":2}");
    }

    @Test
    void readsMixedLineEndings() throws IOException {
        assertThat(lines("a\nb\r\nc\n")).containsExactly("a", "b", "c");
    }

    @Test
    void readsLastLineWithoutLineBreak() throws IOException {
        assertThat(lines("a\nb")).containsExactly("a", "b");
        assertThat(lines("a\r\nb")).containsExactly("a", "b");
    }

    @Test
    void emptyBodyHasNoLines() throws IOException {
        assertThat(lines("")).isEmpty();
    }

    @Test
    void keepsEmptyLinesSoThatLineNumbersStayTrue() throws IOException {
        assertThat(lines("a\n\nb\n")).containsExactly("a", "", "b");
        assertThat(lines("\n")).containsExactly("");
        assertThat(lines("a\r\n\r\nb")).containsExactly("a", "", "b");
    }

    @Test
    void keepsACarriageReturnInsideALine() throws IOException {
        assertThat(lines("a\rb\n")).containsExactly("a\rb");
    }

    @Test
    void decodesUtf8() throws IOException {
        assertThat(lines("联影\n🩺\n")).containsExactly("联影", "🩺");
    }

    @Test
    void readsLineOfExactlyTheLimit() throws IOException {
        assertThat(lines("x".repeat(10) + "\nnext\n", 10, NO_BODY_LIMIT)).containsExactly("x".repeat(10), "next");
    }

    @Test
    void readsCrLfLineOfExactlyTheLimitTheCarriageReturnNotCounting() throws IOException {
        assertThat(lines("x".repeat(10) + "\r\n" + "y".repeat(10) + "\r", 10, NO_BODY_LIMIT))
                .containsExactly("x".repeat(10), "y".repeat(10));
    }

    @Test
    void reportsLineOneByteOverTheLimitAsTooLongWhateverItsLineBreak() throws IOException {
        assertThat(lines("x".repeat(11) + "\n" + "y".repeat(11) + "\r\n" + "z".repeat(11), 10, NO_BODY_LIMIT))
                .containsExactly(LineReader.TOO_LONG, LineReader.TOO_LONG, LineReader.TOO_LONG);
    }

    @Test
    void reportsLineOverTheLimitAsTooLongAndStillReadsTheNextLine() throws IOException {
        assertThat(lines("short\n" + "x".repeat(11) + "\nnext\n", 10, NO_BODY_LIMIT))
                .containsExactly("short", LineReader.TOO_LONG, "next");
    }

    @Test
    void countsTheLimitInBytesNotCharacters() throws IOException {
        assertThat(lines("ééééé\néééééé\n", 10, NO_BODY_LIMIT)).containsExactly("ééééé", LineReader.TOO_LONG);
    }

    @Test
    void reportsLastLineOverTheLimitWithoutLineBreakAsTooLong() throws IOException {
        assertThat(lines("short\n" + "x".repeat(50), 10, NO_BODY_LIMIT)).containsExactly("short", LineReader.TOO_LONG);
    }

    @Test
    void skipsTooLongLineSpanningSeveralBuffersAndReadsTheNextLine() throws IOException {
        String body = "x".repeat(3 * BUFFER + 17) + "\n" + "next\n";

        assertThat(lines(body, 1000, NO_BODY_LIMIT)).containsExactly(LineReader.TOO_LONG, "next");
    }

    @Test
    void throwsWhenTheBodyIsOverTheLimit() {
        assertThatThrownBy(() -> lines("x\n".repeat(100_000), NO_LINE_LIMIT, 100_000))
                .isInstanceOfSatisfying(BodyTooLargeException.class,
                        e -> assertThat(e.limitBytes()).isEqualTo(100_000))
                .hasMessageContaining("100000");
    }

    @Test
    void throwsWhenTheBodyIsOneByteOverTheLimit() {
        assertThatThrownBy(() -> lines("x".repeat(1001), NO_LINE_LIMIT, 1000))
                .isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void readsBodyOfExactlyTheLimit() throws IOException {
        assertThat(lines("a".repeat(999) + "\n", NO_LINE_LIMIT, 1000)).containsExactly("a".repeat(999));
    }

    @Test
    void countsTheBytesRead() throws IOException {
        LineReader reader = new LineReader(stream("ab\r\ncd\n"), NO_LINE_LIMIT, NO_BODY_LIMIT);
        readAll(reader);

        assertThat(reader.bytesRead()).isEqualTo(7);
    }

    @Test
    void readsLinesLongerThanTheBuffer() throws IOException {
        String longLine = "y".repeat(2 * BUFFER + 5);

        assertThat(lines("a\n" + longLine + "\nb\n")).containsExactly("a", longLine, "b");
    }

    @Test
    void readsMultiByteCharacterSplitByTheBufferBoundary() throws IOException {
        // 1 byte of "x" then 2-byte characters: the boundary at 64 KiB falls inside one of them
        String line = "x" + "é".repeat(BUFFER);

        assertThat(lines(line + "\n" + line + "\n")).containsExactly(line, line);
    }

    @Test
    void readsCrLfSplitByTheBufferBoundary() throws IOException {
        String first = "a".repeat(BUFFER - 1);  // its \r is the last byte of the buffer, its \n the first of the next

        assertThat(lines(first + "\r\nnext\r\n")).containsExactly(first, "next");
    }

    @Test
    void readsLineBreakThatIsTheLastByteOfTheBuffer() throws IOException {
        String first = "a".repeat(BUFFER - 1);

        assertThat(lines(first + "\nnext")).containsExactly(first, "next");
    }

    @Test
    void readsTheSameLinesFromAStreamThatDeliversOneByteAtATime() throws IOException {
        String body = "a\r\n\nlong-" + "z".repeat(50) + "\n联影\nlast";

        assertThat(readAll(new LineReader(trickling(body), 20, NO_BODY_LIMIT)))
                .containsExactly("a", "", LineReader.TOO_LONG, "联影", "last");
    }
}
