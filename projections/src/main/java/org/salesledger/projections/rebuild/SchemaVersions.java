package org.salesledger.projections.rebuild;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.core.env.Environment;

/**
 * The schema versions of the read models (docs/adr/0026): the one each declares ({@link
 * ReadModelTables#schemaVersion()}, or {@code salesledger.read-models.<name>.schema-version} where set, e.g. by a
 * test), and the one its tables were built with ({@code read_model_version}).
 */
final class SchemaVersions {

    private final DSLContext db;
    private final Map<String, Integer> declared = new LinkedHashMap<>();

    /** The versions declared are read once, when the process starts: what this process's projections write. */
    SchemaVersions(DSLContext db, Environment environment, Collection<ReadModelTables> readModels) {
        this.db = db;
        for (ReadModelTables tables : readModels) {
            declared.put(tables.readModel(), environment.getProperty("salesledger.read-models." + tables.readModel()
                    + ".schema-version", Integer.class, tables.schemaVersion()));
        }
    }

    int declared(ReadModelTables tables) {
        return declared.get(tables.readModel());
    }

    Optional<Integer> stored(String readModel) {
        return Optional.ofNullable(db.fetchValue("select version from read_model_version where read_model = {0}",
                DSL.val(readModel))).map(v -> ((Number) v).intValue());
    }

    /** Stores the version the read model's tables are built with (in the caller's transaction). */
    void record(String readModel, int version) {
        db.execute("insert into read_model_version (read_model, version) values ({0}, {1}) "
                        + "on conflict (read_model) do update set version = excluded.version, recorded_at = now()",
                DSL.val(readModel), DSL.val(version));
    }
}
