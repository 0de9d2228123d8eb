package org.salesledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodesBenchTest {

    @TempDir
    Path dir;

    private static String line(String id, String subject) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"X\",\"subject\":\"" + subject
                + "\",\"data\":{\"subject\":\"not-the-customer\"}}";
    }

    @Test
    void theImportFileIsSplitByCustomer_eachCustomersLinesInOrderInOnePart_customersDealtAsTheyFirstAppear()
            throws Exception {
        Path file = dir.resolve("actions.ndjson");
        Files.write(file, List.of(line("a-1", "a"), line("b-1", "b"), line("a-2", "a"), line("c-1", "c"),
                line("b-2", "b"), "", line("d-1", "d"), line("c-2", "c"), line("a-3", "a")));

        List<Path> parts = NodesBench.split(file, 2);

        assertThat(parts).hasSize(2);
        assertThat(Files.readAllLines(parts.get(0))).containsExactly(line("a-1", "a"), line("a-2", "a"),
                line("c-1", "c"), line("c-2", "c"), line("a-3", "a"));
        assertThat(Files.readAllLines(parts.get(1))).containsExactly(line("b-1", "b"), line("b-2", "b"),
                line("d-1", "d"));
    }

    @Test
    void oneNodeGetsTheWholeFile() throws Exception {
        Path file = dir.resolve("actions.ndjson");
        Files.write(file, List.of(line("a-1", "a"), line("b-1", "b")));

        assertThat(NodesBench.split(file, 1)).singleElement()
                .satisfies(part -> assertThat(Files.readAllLines(part)).containsExactly(line("a-1", "a"),
                        line("b-1", "b")));
    }
}
