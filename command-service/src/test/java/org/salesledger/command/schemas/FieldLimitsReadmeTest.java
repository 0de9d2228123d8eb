package org.salesledger.command.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.envelope.FieldLimits;

/** The README's table of field limits says what the code enforces: every limit of {@link FieldLimits}, no other. */
class FieldLimitsReadmeTest {

    @Test
    void theReadmeListsEveryFieldLimitOfTheCodeAndNoOther() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String row : tableRows()) {
            List<String> cells = List.of(row.substring(1, row.length() - 1).split("\\|"));
            String field = cells.get(0).trim().replace("`", "").replace(" (header)", "");
            String types = cells.get(1).trim();
            String maximum = cells.get(2).trim().replace(",", "");
            if (!maximum.matches("\\d+")) {
                continue;
            }
            List<String> named = types.equals("every type") ? List.copyOf(ActionTypes.clientNames())
                    : List.of(types.split(",\\s*"));
            for (String type : named) {
                documented.add(type + " " + field + " " + maximum);
            }
        }

        Set<String> enforced = new TreeSet<>();
        for (String type : ActionTypes.clientNames()) {
            FieldLimits.envelope().forEach((field, limit) -> enforced.add(type + " " + field + " " + limit));
            enforced.add(type + " X-Device-Id " + FieldLimits.DEVICE_ID);
            FieldLimits.data(type).forEach((path, limit) -> enforced.add(type + " data." + path + " " + limit));
        }
        assertThat(documented).isEqualTo(enforced);
    }

    @Test
    void theReadmeStatesTheFreeFormBounds() throws IOException {
        String freeForm = tableRows().stream().filter(r -> r.startsWith("| free-form")).findFirst().orElseThrow();

        assertThat(freeForm).contains("names " + FieldLimits.FREE_FORM_KEY,
                "strings " + String.format(Locale.ROOT, "%,d", FieldLimits.TEXT),
                "at most " + FieldLimits.FREE_FORM_DEPTH + " objects",
                String.format(Locale.ROOT, "%,d", FieldLimits.FREE_FORM_NUMBER_DIGITS) + " digits");
    }

    /** The rows of the table under "## Field limits", header and rule left out. */
    private static List<String> tableRows() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("## Field limits");
        assertThat(start).as("README has a Field limits section").isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        return section.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| field |")).toList();
    }
}
