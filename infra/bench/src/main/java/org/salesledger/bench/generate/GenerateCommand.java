package org.salesledger.bench.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code salesledger generate --customers N --seed S [--start 2024-01-01] [--months 24] [--window 1000]
 * [--prefix P] [--max-events E] > file.ndjson}: NDJSON on standard output, a one-line summary on standard error.
 */
public final class GenerateCommand {

    public static final String USAGE = "usage: salesledger generate --customers N [--seed S] [--start 2024-01-01] "
            + "[--months 24] [--window 1000] [--prefix P] [--max-events E] > file.ndjson";

    private GenerateCommand() {
    }

    /** Exit code: 0 when written, 2 for bad options, 1 when writing failed. */
    public static int run(String[] args, OutputStream stdout, PrintStream err) {
        GeneratorOptions options;
        try {
            options = GeneratorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        long started = System.nanoTime();
        try {
            OutputStream out = new BufferedOutputStream(stdout, 1 << 20);
            DataGenerator.Summary summary = new DataGenerator(options).write(out);
            out.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            err.printf(Locale.ROOT, "generated %,d actions of %,d customers (%,.1f MB) in %.1f s, %,.0f actions/s%n",
                    summary.lines(), summary.customers(), summary.bytes() / 1e6, seconds, summary.lines() / seconds);
            return 0;
        } catch (IOException e) {
            err.println("could not write: " + e.getMessage());
            return 1;
        }
    }
}
