package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each table has one creator, and migrations do not rebuild read models in disguise (docs/adr/0026): Axon's
 * {@code token_entry} and {@code dead_letter_entry} are created by infra/platform's db/axon alone, and no migration
 * resets a processor's token except the four attribution migrations earlier builds applied (db/projections V11–V14,
 * which still run what they ran: a database between V10 and V11 needs it) — a read model raises its schema version
 * instead.
 */
class MigrationsTest {

    private static final Path ROOT = Path.of("../..");
    private static final List<Path> SIDES = List.of(ROOT.resolve("command-service/src/main/resources/db/command"),
            ROOT.resolve("projections/src/main/resources/db/projections"));
    private static final List<String> TOKEN_RESETS_KEPT = List.of("V11__attribution_credit_by_owner.sql",
            "V12__attribution_cost_sums.sql", "V13__attribution_current_owner.sql", "V14__attribution_path.sql");

    @Test
    void axonsTablesAreCreatedByTheAxonMigrationAlone() throws IOException {
        assertThat(read(ROOT.resolve("infra/platform/src/main/resources/db/axon/V1__axon_tables.sql")))
                .contains("create table if not exists token_entry", "create table if not exists dead_letter_entry");
        for (Path script : scripts()) {
            assertThat(read(script)).as(script.toString())
                    .doesNotContainPattern("create table[a-z ]* token_entry")
                    .doesNotContainPattern("create table[a-z ]* dead_letter_entry");
        }
    }

    @Test
    void noMigrationResetsATokenToForceARebuildBeyondTheOnesAlreadyApplied() throws IOException {
        for (Path script : scripts()) {
            if (TOKEN_RESETS_KEPT.contains(script.getFileName().toString())) {
                continue;
            }
            assertThat(read(script)).as(script.toString())
                    .doesNotContainPattern("(delete from|truncate|update)( table)? token_entry");
        }
    }

    private static List<Path> scripts() throws IOException {
        List<Path> scripts = new java.util.ArrayList<>();
        for (Path side : SIDES) {
            try (Stream<Path> files = Files.list(side)) {
                files.filter(f -> f.toString().endsWith(".sql")).forEach(scripts::add);
            }
        }
        assertThat(scripts).hasSizeGreaterThan(10);
        return scripts;
    }

    private static String read(Path script) throws IOException {
        return Files.readString(script).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }
}
