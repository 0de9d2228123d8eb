package org.salesledger.bench.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code salesledger generate --customers N --seed S [--start 2024-01-01] [--months 24] [--window 1000]
 * [--prefix P] [--max-events E] > file.ndjson}: NDJSON on standard output, a one-line summary on standard error.
 * Its options are the one definition of {@link GeneratorOptions#parse}.
 */
@Command(name = "generate", sortOptions = false,
        description = {"Write realistic actions of N customers as NDJSON to standard output, a summary to standard "
                + "error. Deterministic: the same options give the same bytes."},
        footer = {"", "Example: salesledger generate --customers 10000 --seed 7 > demo.ndjson"})
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--customers", required = true, paramLabel = "N", converter = WholeNumber.class,
            description = "customers to generate (required; 1_000_000 is read as 1000000)")
    long customers;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--start", paramLabel = "DATE", defaultValue = "2024-01-01", converter = Date.class,
            description = "first day of the period, UTC (default: ${DEFAULT-VALUE})")
    LocalDate start;

    @Option(names = "--months", paramLabel = "M", defaultValue = "24",
            description = "length of the period the customers register over (default: ${DEFAULT-VALUE})")
    int months;

    @Option(names = "--window", paramLabel = "W", defaultValue = "" + GeneratorOptions.DEFAULT_WINDOW,
            description = "customers whose lines are merged by time at once (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "",
            description = "start of every customer id (default: none)")
    String prefix;

    @Option(names = "--max-events", paramLabel = "E", defaultValue = "0", converter = WholeNumber.class,
            description = "stop after E lines (default: 0, no limit)")
    long maxEvents;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    private final OutputStream stdout;
    private final PrintStream err;

    /** The command writing its lines to {@code stdout} and its summary to {@code err}. */
    public GenerateCommand(OutputStream stdout, PrintStream err) {
        this.stdout = stdout;
        this.err = err;
    }

    /** The options given; an {@link IllegalArgumentException} naming the option for a value out of range. */
    GeneratorOptions options() {
        return new GeneratorOptions(customers, seed, start, months, window, prefix, maxEvents);
    }

    /** Exit code: 0 when written, 1 when writing failed (bad options are picocli's usage errors, 2). */
    @Override
    public Integer call() {
        GeneratorOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
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

    /** A whole number, with {@code _} allowed between digits ({@code 1_000_000}). */
    public static final class WholeNumber implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
            }
        }
    }

    /** A date as {@code 2024-01-01}. */
    static final class Date implements CommandLine.ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a date like 2024-01-01");
            }
        }
    }
}
