package org.salesledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;

class PrometheusTest {

    private static final String LATENCY = "salesledger_kafka_publish_latency_seconds";

    private static String histogram(long upTo10ms, long upTo100ms, long upTo1s, long all) {
        return String.join("\n",
                "# HELP " + LATENCY + " from an action being stored to Kafka acknowledging its record",
                "# TYPE " + LATENCY + " histogram",
                LATENCY + "_bucket{le=\"0.01\"} " + upTo10ms,
                LATENCY + "_bucket{le=\"0.1\"} " + upTo100ms,
                LATENCY + "_bucket{le=\"1.0\"} " + upTo1s,
                LATENCY + "_bucket{le=\"+Inf\"} " + all,
                LATENCY + "_count " + all,
                LATENCY + "_sum 12.5",
                "salesledger_kafka_published_total 42.0");
    }

    @Test
    void readsAHistogramsCumulativeBucketsByUpperBound() {
        NavigableMap<Double, Double> buckets = Prometheus.buckets(histogram(5, 90, 99, 100), LATENCY);

        assertThat(buckets).containsExactly(Map.entry(0.01, 5.0), Map.entry(0.1, 90.0), Map.entry(1.0, 99.0),
                Map.entry(Double.POSITIVE_INFINITY, 100.0));
        assertThat(Prometheus.buckets("salesledger_kafka_published_total 42.0", LATENCY)).isEmpty();
    }

    @Test
    void theQuantileBetweenTwoReadingsCountsOnlyWhatWasRecordedBetweenThem() {
        // before: 100 records, 90 of them slow (over 100 ms); then 1,000 more, 950 within 10 ms and all within 100 ms
        NavigableMap<Double, Double> before = Prometheus.buckets(histogram(10, 10, 100, 100), LATENCY);
        NavigableMap<Double, Double> after = Prometheus.buckets(histogram(960, 1010, 1100, 1100), LATENCY);

        assertThat(Prometheus.quantileBetween(before, after, 0.99)).hasValue(0.1);
        assertThat(Prometheus.quantileBetween(before, after, 0.5)).hasValue(0.01);
        // read since the start, the slow records before would dominate the p99
        assertThat(Prometheus.quantileBetween(Map.of(), after, 0.99)).hasValue(1.0);
    }

    @Test
    void noQuantileWhenNothingWasRecordedBetweenTheReadings() {
        NavigableMap<Double, Double> same = Prometheus.buckets(histogram(1, 2, 3, 3), LATENCY);

        assertThat(Prometheus.quantileBetween(same, same, 0.99)).isEmpty();
        assertThat(Prometheus.quantileBetween(Map.of(), Prometheus.buckets("", LATENCY), 0.99)).isEmpty();
    }

    @Test
    void sumsEverySampleOfAMetricAndTellsNoneFromZero() {
        String exposition = String.join("\n",
                "# TYPE salesledger_projection_lag_events gauge",
                "salesledger_projection_lag_events{readModel=\"timeline\"} 3.0",
                "salesledger_projection_lag_events{readModel=\"funnel\"} 0.0",
                "salesledger_projection_lag_events_other{readModel=\"funnel\"} 7.0",
                "salesledger_projection_lag_events{readModel=\"health\"} 12.0");

        assertThat(Prometheus.sum(exposition, "salesledger_projection_lag_events")).hasValue(15.0);
        assertThat(Prometheus.sum("salesledger_projection_lag_events{readModel=\"a\"} 0.0",
                "salesledger_projection_lag_events")).hasValue(0.0);
        assertThat(Prometheus.sum("# nothing yet", "salesledger_projection_lag_events")).isEmpty();
    }

    @Test
    void readsEverySampleOfAMetricByOneLabel() {
        String exposition = String.join("\n",
                "# TYPE salesledger_threads_cpu_seconds_total counter",
                "salesledger_threads_cpu_seconds_total{application=\"salesledger-query\",work=\"audit log\"} 12.5",
                "salesledger_threads_cpu_seconds_total{application=\"salesledger-query\",work=\"timeline\"} 3.0",
                "salesledger_threads_cpu_seconds_total_other{work=\"timeline\"} 99.0",
                "salesledger_threads_cpu_seconds_total{application=\"salesledger-query\"} 1.0",
                "salesledger_kafka_published_total 42.0");

        assertThat(Prometheus.byLabel(exposition, "salesledger_threads_cpu_seconds_total", "work"))
                .containsExactly(Map.entry("audit log", 12.5), Map.entry("timeline", 3.0));
        assertThat(Prometheus.byLabel(exposition, "salesledger_nothing_total", "work")).isEmpty();
    }
}
