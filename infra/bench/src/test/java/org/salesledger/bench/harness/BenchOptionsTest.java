package org.salesledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void theRebuildScenarioRebuildsEveryReadModelUnlessToldWhich() {
        assertThat(BenchOptions.parse(new String[] {"rebuild"}, Map.of()).readModels())
                .containsExactly("timeline", "funnel", "attribution", "worklists", "talktrack",
                        "health");
        assertThat(BenchOptions.parse(new String[] {"rebuild", "--read-models", "worklists, funnel"}, Map.of())
                .readModels()).containsExactly("worklists", "funnel");
    }

    @Test
    void theHealthScenarioOfIssue18IsNamedOnTheCommandLine_andAFullRunHasIt() {
        assertThat(BenchOptions.parse(new String[] {"health"}, Map.of()).scenarios())
                .containsExactly(Scenario.HEALTH);
        assertThat(BenchOptions.parse(new String[] {}, Map.of()).scenarios()).contains(Scenario.HEALTH);
    }

    @Test
    void timelineQueriesCanNameStoredCustomersByAFormatAndACount() {
        BenchOptions options = BenchOptions.parse(new String[] {"queries", "--timeline-customers",
                "bench-%d:1_000_000"}, Map.of());

        assertThat(options.timelineCustomers()).isEqualTo(new BenchOptions.Customers("bench-%d", 1_000_000));
        assertThat(options.timelineCustomers().id(42)).isEqualTo("bench-42");
        assertThat(BenchOptions.parse(new String[] {"queries"}, Map.of()).timelineCustomers()).isNull();
    }

    @Test
    void aTimelineCustomerFormatWithoutANumberOrCountIsRefusedWithAnExample() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--timeline-customers", "bench:10"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("e.g. bench-%d:1000000");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--timeline-customers", "bench-%d"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FORMAT:COUNT");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--timeline-customers", "c-%d:0"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
