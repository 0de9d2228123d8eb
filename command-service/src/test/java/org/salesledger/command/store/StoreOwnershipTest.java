package org.salesledger.command.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SQL that reaches into Axon's event table and the writers' advisory locks is written in the store package
 * only: every other command-side class goes through {@link StoredEvents}, {@link CustomerLocks},
 * {@link ActionReceipts} and {@link HeldCustomers}. (ArchUnit sees types, not the text of SQL, hence a look at the
 * sources.)
 */
class StoreOwnershipTest {

    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Path STORE = SOURCES.resolve(Path.of("org", "salesledger", "command", "store"));

    @Test
    void onlyTheStoreNamesTheEventTable() throws IOException {
        assertThat(sourcesMentioning("domain_event_entry")).containsOnly(
                STORE.resolve("StoredEvents.java"));
    }

    @Test
    void onlyTheStoreTakesAdvisoryLocks() throws IOException {
        assertThat(sourcesMentioning("pg_advisory")).containsOnly(
                STORE.resolve("CustomerLocks.java"), STORE.resolve("ActionReceipts.java"));
    }

    @Test
    void onlyTheStoreAsksForTheLastSequenceNumber() throws IOException {
        assertThat(sourcesMentioning("max(sequence_number)")).containsOnly(STORE.resolve("StoredEvents.java"));
    }

    private static List<Path> sourcesMentioning(String text) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).filter(f -> contains(f, text)).toList();
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readString(file).toLowerCase().contains(text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
