-- The schema version each read model was built with (docs/adr/0026). A read model declares the version of what its
-- projection writes (ReadModelTables#withSchemaVersion); when the query side starts with a declared version other
-- than the one stored here, it rebuilds the read model (shadow tables, progress, the old tables answering meanwhile)
-- and stores the new version in the transaction that switches the tables. A read model without a row (a new
-- database, or one made before versions were kept) is taken to be at its declared version.
-- Migrations no longer empty a read model and reset its token to have it rebuilt: they change the tables, and the
-- projection raises its version.
CREATE TABLE read_model_version (
    read_model  VARCHAR(64) NOT NULL PRIMARY KEY,
    version     INTEGER     NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
