package org.salesledger.projections.attribution.datadriven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package stays a pure library: its sources import only {@code java.util} and {@code java.math} (no Spring,
 * jOOQ, I/O or our other packages) and never touch {@code System} (no clock, no console, no environment).
 */
class PureLibraryTest {

    /** Relative to the module directory, the tests' working directory. */
    private static final Path SOURCES = Path.of("src/main/java/org/salesledger/projections/attribution/datadriven");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void importsNothingButTheJdksCollectionsAndNumbers() throws IOException {
        List<Path> files = sources();
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        for (Path file : files) {
            var imports = IMPORT.matcher(Files.readString(file));
            while (imports.find()) {
                assertThat(imports.group(2)).as("an import of %s", file.getFileName())
                        .matches("java\\.(util|math)\\.[\\w.]+");
            }
        }
    }

    @Test
    void readsNoClockAndDoesNoIo() throws IOException {
        for (Path file : sources()) {
            assertThat(Files.readString(file)).as(file.getFileName().toString())
                    .doesNotContain("System.")
                    .doesNotContain("java.io")
                    .doesNotContain("java.nio")
                    .doesNotContain("java.time");
        }
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
