package org.salesledger.projections.rebuild;

import java.util.List;
import java.util.Locale;

/**
 * A read model's tables, and where its projection writes them right now: the live tables, or — while the read
 * model is being rebuilt — their shadow copies ({@code <table>__next}), which replace the live ones in one
 * transaction when the rebuild has caught up. Queries always read the live tables.
 */
public final class ReadModelTables {

    static final String SHADOW = "__next";

    private final String readModel;
    private final String processingGroup;
    private final List<String> tables;
    private volatile boolean shadow;

    public ReadModelTables(String readModel, String processingGroup, List<String> tables) {
        if (!readModel.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("read model name must be lower-case: " + readModel);
        }
        this.readModel = readModel;
        this.processingGroup = processingGroup;
        this.tables = List.copyOf(tables);
    }

    public String readModel() {
        return readModel;
    }

    public String processingGroup() {
        return processingGroup;
    }

    public List<String> tables() {
        return tables;
    }

    /** The name the projection must write {@code table} under now. */
    public String writeName(String table) {
        return shadow ? shadowOf(table) : table;
    }

    static String shadowOf(String table) {
        return table.toLowerCase(Locale.ROOT) + SHADOW;
    }

    void writeToShadow(boolean shadow) {
        this.shadow = shadow;
    }

    boolean writingToShadow() {
        return shadow;
    }
}
