package org.salesledger.bench.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Writes generated actions as NDJSON, streaming. Customers are taken in windows of {@link GeneratorOptions#window()}
 * customers (in index order, so registration order); the lines of one window are merged by time, so the lines of
 * different customers interleave as they would in a real feed, and each customer's own lines stay in time order.
 * Memory holds one window (about 10 lines per customer), whatever the number of customers; {@code --window 1}
 * writes customer by customer. The same options always give the same bytes.
 */
public final class DataGenerator {

    private final GeneratorOptions options;

    public DataGenerator(GeneratorOptions options) {
        this.options = options;
    }

    /**
     * What was written: the lines and bytes; the customers of the windows begun; and how many of those were
     * registered (their {@code CustomerRegistered} line written) — fewer when {@code --max-events} cut a window
     * short. Customers register in index order (each in its own slot of the period), so the registered ones are
     * indexes {@code 0 … registeredCustomers - 1}.
     */
    public record Summary(long lines, long bytes, long customers, long registeredCustomers) {
    }

    public Summary write(OutputStream out) throws IOException {
        long lines = 0;
        long bytes = 0;
        long customers = 0;
        long registered = 0;
        long limit = options.maxEvents() == 0 ? Long.MAX_VALUE : options.maxEvents();
        byte[] newline = {'\n'};
        List<Line> window = new ArrayList<>(options.window() * 12);
        for (long first = 0; first < options.customers() && lines < limit; first += options.window()) {
            window.clear();
            long last = Math.min(options.customers(), first + options.window());
            for (long index = first; index < last; index++) {
                window.addAll(Journey.of(options, index));
            }
            customers += last - first;
            if (options.window() > 1) {
                Collections.sort(window);
            }
            for (Line line : window) {
                if (lines == limit) {
                    break;
                }
                if (line.registers()) {
                    registered++;
                }
                byte[] json = line.json().getBytes(StandardCharsets.UTF_8);
                out.write(json);
                out.write(newline);
                lines++;
                bytes += json.length + 1;
            }
        }
        out.flush();
        return new Summary(lines, bytes, customers, registered);
    }

    /** The lines of customer {@code index} (0-based), in time order: one customer's journey on its own. */
    public static List<String> journey(GeneratorOptions options, long index) {
        return Journey.of(options, index).stream().map(Line::json).toList();
    }

    /** Average number of lines per customer with the default period, measured on the generator itself. */
    public static final double LINES_PER_CUSTOMER = 12.4;
}
