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
     * [--max-events E]}; anything else is refused with a message.
     */
    public static GeneratorOptions parse(String... args) {
        Long customers = null;
        long seed = 1;
        LocalDate start = LocalDate.of(2024, 1, 1);
        int months = 24;
        int window = DEFAULT_WINDOW;
        String prefix = "";
        long maxEvents = 0;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            try {
                switch (name) {
                    case "--customers" -> customers = Long.parseLong(value.replace("_", ""));
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--start" -> start = LocalDate.parse(value);
                    case "--months" -> months = Integer.parseInt(value);
                    case "--window" -> window = Integer.parseInt(value);
                    case "--prefix" -> prefix = value;
                    case "--max-events" -> maxEvents = Long.parseLong(value.replace("_", ""));
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(name + " got '" + value + "': " + e.getMessage());
            }
        }
        if (customers == null) {
            throw new IllegalArgumentException("--customers N is required");
        }
        return new GeneratorOptions(customers, seed, start, months, window, prefix, maxEvents);
    }
}
