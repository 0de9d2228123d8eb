package org.salesledger.command.intake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an NDJSON body line by line from a stream, holding at most one line in memory. A line longer than the
 * limit is skipped up to its end and reported as too long instead of being kept; more bytes in the whole body
 * than allowed stop the reading.
 */
final class LineReader {

    /** A line that was over the limit: its content was skipped. */
    static final String TOO_LONG = "\u0000too long";

    private final InputStream in;
    private final int maxLineBytes;
    private final long maxBodyBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private int position;
    private int limit;
    private long bytesRead;
    private boolean end;

    LineReader(InputStream in, int maxLineBytes, long maxBodyBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The next line without its line break, {@link #TOO_LONG}, or {@code null} at the end of the body. */
    String next() throws IOException {
        line.reset();
        boolean tooLong = false;
        while (true) {
            if (position == limit) {
                if (end || !fill()) {
                    end = true;
                    if (line.size() == 0 && !tooLong) {
                        return null;
                    }
                    return tooLong ? TOO_LONG : decode();
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int length = position - start;
            if (!tooLong) {
                // one byte of room for the '\r' of a CRLF line break, which is not part of the line
                if (line.size() + length > maxLineBytes + 1L) {
                    tooLong = true;
                    line.reset();
                } else {
                    line.write(buffer, start, length);
                }
            }
            if (position < limit) {
                position++;
                return tooLong ? TOO_LONG : decode();
            }
        }
    }

    long bytesRead() {
        return bytesRead;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n <= 0) {
            return false;
        }
        bytesRead += n;
        if (bytesRead > maxBodyBytes) {
            throw new BodyTooLargeException(maxBodyBytes);
        }
        position = 0;
        limit = n;
        return true;
    }

    /** The line without a CRLF's '\r', or {@link #TOO_LONG} when what is left is over the limit. */
    private String decode() {
        int size = line.size();
        byte[] bytes = line.toByteArray();
        if (size > 0 && bytes[size - 1] == '\r') {
            size--;
        }
        if (size > maxLineBytes) {
            return TOO_LONG;
        }
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }
}
