package org.salesledger.bench.harness;

import java.util.ArrayList;
import java.util.List;

/** The rows of one run, rendered as an aligned text table for the terminal or as Markdown for the docs. */
public final class ResultsTable {

    private static final String[] HEADERS = {"scenario", "configuration", "measured", "baseline (same run)", "ratio",
            "target", "verdict"};

    private final List<Row> rows = new ArrayList<>();

    synchronized void add(Row row) {
        rows.add(row);
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    private static String[] cells(Row row) {
        return new String[]{row.scenario(), row.configuration(), row.figure(), row.baseline(), row.ratio(),
                row.target(), row.verdict()};
    }

    public synchronized String text() {
        int[] widths = new int[HEADERS.length];
        for (int i = 0; i < HEADERS.length; i++) {
            widths[i] = HEADERS[i].length();
        }
        for (Row row : rows) {
            String[] cells = cells(row);
            for (int i = 0; i < cells.length; i++) {
                widths[i] = Math.max(widths[i], cells[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADERS, widths);
        String[] rule = new String[HEADERS.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        line(out, rule, widths);
        for (Row row : rows) {
            line(out, cells(row), widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            out.append(i == 0 ? "" : "  ").append(cells[i]).append(" ".repeat(widths[i] - cells[i].length()));
        }
        out.append(System.lineSeparator());
    }

    public synchronized String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", HEADERS)).append(" |\n");
        out.append("|---|---|---:|---:|---:|---|---|\n");
        for (Row row : rows) {
            String[] cells = cells(row);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].replace("|", "\\|");
            }
            out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return out.toString();
    }
}
