package org.salesledger.bench.harness;

/**
 * One line of the results table: the scenario, the configuration it ran on (tuned, or Axon's defaults), what was
 * measured, the raw baseline measured in the same run beside it, their ratio, the target and whether it was met
 * (or why there is no figure).
 */
public record Row(String scenario, String configuration, String figure, String baseline, String ratio, String target,
           String verdict) {

    static Row skipped(String scenario, String configuration, String why) {
        return new Row(scenario, configuration, "not available", "—", "—", "—", why);
    }
}
