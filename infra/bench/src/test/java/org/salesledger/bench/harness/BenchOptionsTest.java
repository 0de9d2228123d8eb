package org.salesledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void theRebuildScenarioRebuildsEveryReadModelUnlessToldWhich() {
        assertThat(BenchOptions.parse(new String[] {"rebuild"}, Map.of()).readModels())
                .containsExactly("timeline", "funnel", "attribution", "worklists", "talktrack");
        assertThat(BenchOptions.parse(new String[] {"rebuild", "--read-models", "worklists, funnel"}, Map.of())
                .readModels()).containsExactly("worklists", "funnel");
    }
}
