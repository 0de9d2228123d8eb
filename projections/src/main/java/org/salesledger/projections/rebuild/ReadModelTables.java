package org.salesledger.projections.rebuild;

import java.util.List;
import java.util.Locale;
import org.jooq.DSLContext;

/**
 * A read model's tables, and where its projection writes them right now: the live tables, or — while the read
 * model is being rebuilt — their shadow copies ({@code <table>__next}), which replace the live ones in one
 * transaction when the rebuild has caught up. Queries always read the live tables.
 */
public final class ReadModelTables {

    static final String SHADOW = "__next";

    /**
     * What a read model does to its shadow tables once the replay is complete and its processor is paused, before
     * they replace the live ones, in the transaction of the switch: fill tables it chose not to keep up row by row
     * during the replay (see {@link #rebuilding()}).
     */
    @FunctionalInterface
    public interface Completion {
        /** {@code tables} still name the shadow tables ({@link #writeName}). */
        void complete(DSLContext db, ReadModelTables tables);
    }

    private final String readModel;
    private final String processingGroup;
    private final List<String> tables;
    private final Completion completion;
    private final Deferred deferred;
    private final int schemaVersion;
    private volatile boolean shadow;

    public ReadModelTables(ReadModelName readModel, String processingGroup, List<String> tables) {
        this(readModel, processingGroup, tables, (db, t) -> { });
    }

    public ReadModelTables(ReadModelName readModel, String processingGroup, List<String> tables,
                           Completion completion) {
        this(readModel.id(), processingGroup, tables, completion, Deferred.NOTHING, 1);
    }

    /** What a rebuild leaves out of the shadow tables during the replay, and builds once it is done. */
    enum Deferred {
        NOTHING,
        /** The indexes that serve only queries (not primary keys, unique constraints or unique indexes). */
        QUERY_INDEXES,
        /** Every index and the primary key and unique constraints. */
        ALL_INDEXES
    }

    private ReadModelTables(String readModel, String processingGroup, List<String> tables, Completion completion,
                            Deferred deferred, int schemaVersion) {
        if (!readModel.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("read model name must be lower-case: " + readModel);
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schema version must be at least 1: " + schemaVersion);
        }
        this.schemaVersion = schemaVersion;
        this.readModel = readModel;
        this.processingGroup = processingGroup;
        this.tables = List.copyOf(tables);
        this.completion = completion;
        this.deferred = deferred;
    }

    /**
     * These tables, but a rebuild fills their shadow copies without their secondary (non-unique) indexes and builds
     * them once the replay is done. Only for a read model whose projection finds its rows by primary key or unique
     * constraint alone: without its indexes, any other lookup during the replay would scan the table.
     */
    public ReadModelTables withQueryIndexesBuiltAfterReplay() {
        return new ReadModelTables(readModel, processingGroup, tables, completion, Deferred.QUERY_INDEXES,
                schemaVersion);
    }

    /**
     * These tables, but a rebuild fills their shadow copies with no index at all — not even their primary keys and
     * unique constraints — and builds them all once the replay is done. Only for a read model whose projection
     * only inserts rows, never reads or updates its own: its {@code on conflict do nothing} then has nothing to
     * check during the replay, and a history holding two rows that a unique constraint refuses fails the rebuild
     * when the constraint is built (the live tables stay as they were).
     */
    public ReadModelTables withAllIndexesBuiltAfterReplay() {
        return new ReadModelTables(readModel, processingGroup, tables, completion, Deferred.ALL_INDEXES,
                schemaVersion);
    }

    /**
     * These tables, at schema version {@code version} (1 unless said): the version of what the projection writes.
     * Raise it with any change that makes the rows already written wrong for the new code (a new column filled from
     * the events, a changed meaning); the query side then rebuilds the read model when it starts (shadow tables,
     * progress, the old tables answering meanwhile), instead of a migration emptying it and resetting its token
     * (docs/adr/0026).
     */
    public ReadModelTables withSchemaVersion(int version) {
        return new ReadModelTables(readModel, processingGroup, tables, completion, deferred, version);
    }

    /** The schema version the projection declares. */
    public int schemaVersion() {
        return schemaVersion;
    }

    Deferred deferred() {
        return deferred;
    }

    /**
     * Whether the projection is replaying the whole history into the shadow tables right now: it may then leave
     * out what its {@link Completion} computes in one go at the end.
     */
    public boolean rebuilding() {
        return shadow;
    }

    void complete(DSLContext db) {
        completion.complete(db, this);
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
