package org.salesledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void theResultsHeaderRepeatsTheBenchArgumentsOnceWhetherBenchIsASubcommandOrTheCommand() {
        assertThat(BenchCommand.ownArguments(List.of("bench", "command", "state", "--quick"), "bench", true))
                .containsExactly("command", "state", "--quick");
        assertThat(BenchCommand.ownArguments(List.of("command", "state", "--quick"), "bench", false))
                .containsExactly("command", "state", "--quick");
        assertThat(BenchCommand.ownArguments(List.of("bench"), "bench", true)).isEmpty();
    }
}
