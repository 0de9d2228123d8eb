package org.salesledger.projections.attribution.datadriven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The example data of the ChannelAttribution package ({@code Data.csv}, identical to R's {@code data(PathData)}):
 * 10,000 paths over 12 channels with their conversions, conversion value and non-conversions, kept in
 * {@code ../shared/datasets/channelattribution-pathdata/} (see {@code ../shared/datasets/SOURCES.md}; GPL-3, read in
 * place, not copied into this repository). The value has no currency; it is read as currency {@code XXX}, the ISO
 * 4217 code for "no currency".
 */
final class PathData {

    /** Relative to the module directory, the working directory of the tests. */
    static final Path FILE = Path.of("../../shared/datasets/channelattribution-pathdata/Data.csv");
    static final String CURRENCY = "XXX";

    private PathData() {
    }

    static boolean available() {
        return Files.isReadable(FILE);
    }

    /** One row: the channels (trimmed, as ChannelAttribution trims them), conversions, value, non-conversions. */
    record Row(String[] channels, long conversions, BigDecimal value, long nonConversions) {
        Journey journey() {
            Map<String, Journey.Revenue> revenue = conversions > 0
                    ? Map.of(CURRENCY, new Journey.Revenue(conversions, value)) : Map.of();
            return new Journey(Arrays.asList(channels), conversions, nonConversions, revenue);
        }
    }

    static List<Row> rows() {
        try {
            List<String> lines = Files.readAllLines(FILE, StandardCharsets.UTF_8);
            if (!lines.get(0).equals("path;total_conversions;total_conversion_value;total_null")) {
                throw new IllegalStateException("unexpected header in " + FILE + ": " + lines.get(0));
            }
            List<Row> rows = new ArrayList<>(lines.size() - 1);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.split(";");
                String[] channels = Arrays.stream(fields[0].split(">")).map(String::trim).toArray(String[]::new);
                rows.add(new Row(channels, Long.parseLong(fields[1]), new BigDecimal(fields[2]),
                        Long.parseLong(fields[3])));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Journey> journeys() {
        return rows().stream().map(Row::journey).toList();
    }
}
