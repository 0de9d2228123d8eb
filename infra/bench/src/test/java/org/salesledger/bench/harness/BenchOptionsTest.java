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

    @Test
    void theNodesScenarioOfIssue20RunsOnlyWhenNamed() {
        assertThat(BenchOptions.parse(new String[] {}, Map.of()).scenarios()).doesNotContain(Scenario.NODES)
                .contains(Scenario.COMMAND, Scenario.IMPORT, Scenario.PROOFS);
        assertThat(BenchOptions.parse(new String[] {"nodes"}, Map.of()).scenarios()).containsExactly(Scenario.NODES);
    }

    @Test
    void theNodesScenarioLoads200000EventsFor1To3QueryNodes_andAQuickRun5000For1And2() {
        BenchOptions full = BenchOptions.parse(new String[] {"nodes"}, Map.of());
        assertThat(full.nodesEvents()).isEqualTo(200_000);
        assertThat(full.nodeCounts()).containsExactly(1, 2, 3);
        BenchOptions quick = BenchOptions.parse(new String[] {"nodes", "--quick"}, Map.of());
        assertThat(quick.nodesEvents()).isEqualTo(5_000);
        assertThat(quick.nodeCounts()).containsExactly(1, 2);
        BenchOptions chosen = BenchOptions.parse(new String[] {"nodes", "--nodes-events", "1_000_000",
                "--node-counts", "1,4,8"}, Map.of());
        assertThat(chosen.nodesEvents()).isEqualTo(1_000_000);
        assertThat(chosen.nodeCounts()).containsExactly(1, 4, 8);
    }

    @Test
    void moreQueryNodesThanSegmentsOrNoneAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"nodes", "--node-counts", "1,9"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--node-counts")
                .hasMessageContaining("8 segments");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"nodes", "--node-counts", "0"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--node-counts");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"nodes", "--nodes-events", "0"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--nodes-events");
    }
}
