package org.salesledger.bench.generate;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What to generate: {@code customers} customers registered evenly over {@code months} months from {@code start},
 * each with a journey drawn from {@code seed}; lines written in windows of {@code window} customers merged by time;
 * customer ids start with {@code prefix}; at most {@code maxEvents} lines (0: no limit).
 */
public record GeneratorOptions(long customers, long seed, LocalDate start, int months, int window, String prefix,
                               long maxEvents) {

    public static final int DEFAULT_WINDOW = 1000;

    public GeneratorOptions {
        if (customers < 1) {
            throw new IllegalArgumentException("--customers must be at least 1, got " + customers);
        }
        if (months < 1 || months > 1200) {
            throw new IllegalArgumentException("--months must be between 1 and 1200, got " + months);
        }
        if (window < 1 || window > 1_000_000) {
            throw new IllegalArgumentException("--window must be between 1 and 1,000,000 customers, got " + window);
        }
        if (maxEvents < 0) {
            throw new IllegalArgumentException("--max-events must not be negative, got " + maxEvents);
        }
        if (prefix == null || !prefix.matches("[A-Za-z0-9_.:-]{0,64}")) {
            throw new IllegalArgumentException("--prefix must be at most 64 letters, digits or _.:- , got '" + prefix
                    + "'");
        }
    }

    public static GeneratorOptions of(long customers, long seed) {
        return new GeneratorOptions(customers, seed, LocalDate.of(2024, 1, 1), 24, DEFAULT_WINDOW, "", 0);
    }

    public GeneratorOptions withWindow(int window) {
        return new GeneratorOptions(customers, seed, start, months, window, prefix, maxEvents);
    }

    public GeneratorOptions withPrefix(String prefix) {
        return new GeneratorOptions(customers, seed, start, months, window, prefix, maxEvents);
    }

    public GeneratorOptions withMaxEvents(long maxEvents) {
        return new GeneratorOptions(customers, seed, start, months, window, prefix, maxEvents);
    }

    public GeneratorOptions withPeriod(LocalDate start, int months) {
        return new GeneratorOptions(customers, seed, start, months, window, prefix, maxEvents);
    }

    /** The first second of the period, UTC. */
    long startSecond() {
        return start.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    /** The end of the period (exclusive), UTC. */
    long endSecond() {
        return start.plusMonths(months).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    /**
     * Reads {@code --customers N --seed S [--start 2024-01-01] [--months 24] [--window 1000] [--prefix P]
     * [--max-events E]} as {@code salesledger generate} does (its options are {@link GenerateCommand}'s); anything
     * else is refused with an {@link IllegalArgumentException} whose message names the option.
     */
    public static GeneratorOptions parse(String... args) {
        GenerateCommand command = new GenerateCommand(java.io.OutputStream.nullOutputStream(), null);
        try {
            new picocli.CommandLine(command).parseArgs(args);
        } catch (picocli.CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return command.options();
    }
}
