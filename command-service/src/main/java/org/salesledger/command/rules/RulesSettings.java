package org.salesledger.command.rules;

import java.time.Duration;
import org.salesledger.kernel.settings.SettingChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rules' bounds and timings ({@code salesledger.rules.*}).
 *
 * @param refreshInterval     how often each node looks for rule changes (one indexed query)
 * @param maxExpressionLength characters of one CEL condition
 * @param maxIterations       comprehension iterations of one evaluation, in all (CEL's own budget)
 * @param maxSteps            expression nodes evaluated by one evaluation
 * @param maxEvents           most recently stored actions a condition sees in {@code events}
 * @param maxRegexProgramSize size of a regular expression's compiled program ({@code matches()})
 * @param timers              the persistent deadlines of time rules
 * @param dryRun              the what-if of a draft rule over the stored history
 */
@ConfigurationProperties("salesledger.rules")
public record RulesSettings(@DefaultValue("PT1S") Duration refreshInterval,
                            @DefaultValue("4096") int maxExpressionLength,
                            @DefaultValue("100000") int maxIterations,
                            @DefaultValue("1000000") long maxSteps,
                            @DefaultValue("1000") int maxEvents,
                            @DefaultValue("1000") int maxRegexProgramSize,
                            @DefaultValue Timers timers,
                            @DefaultValue DryRun dryRun) {

    public RulesSettings {
        positive("refresh-interval", refreshInterval);
        atLeastOne("max-expression-length", maxExpressionLength);
        atLeastOne("max-iterations", maxIterations);
        atLeastOne("max-steps", maxSteps);
        atLeastOne("max-events", maxEvents);
        atLeastOne("max-regex-program-size", maxRegexProgramSize);
    }

    /**
     * The deadlines of time rules (db-scheduler).
     *
     * @param pollingInterval   how often each node looks for due deadlines (one indexed query)
     * @param heartbeatInterval a node that misses 6 heartbeats is dead: its picked deadlines run elsewhere
     * @param threads           deadlines fired at once per node
     * @param replanBatch       customers re-planned per transaction after a change of the time rules
     */
    public record Timers(@DefaultValue("PT1S") Duration pollingInterval,
                         @DefaultValue("PT10S") Duration heartbeatInterval,
                         @DefaultValue("2") int threads,
                         @DefaultValue("500") int replanBatch) {

        public Timers {
            positive("timers.polling-interval", pollingInterval);
            positive("timers.heartbeat-interval", heartbeatInterval);
            atLeastOne("timers.threads", threads);
            atLeastOne("timers.replan-batch", replanBatch);
        }
    }

    /**
     * The what-if of a draft rule.
     *
     * @param maxDuration  it stops after this long and answers what it has (partial)
     * @param maxCustomers … or after this many customers
     * @param fetchSize    events read from the store per round trip
     * @param threads      evaluating workers; 0: one per processor
     */
    public record DryRun(@DefaultValue("PT5M") Duration maxDuration,
                         @DefaultValue("2000000") long maxCustomers,
                         @DefaultValue("5000") int fetchSize,
                         @DefaultValue("0") int threads) {

        public DryRun {
            positive("dry-run.max-duration", maxDuration);
            atLeastOne("dry-run.max-customers", maxCustomers);
            atLeastOne("dry-run.fetch-size", fetchSize);
            SettingChecks.atLeast("salesledger.rules.dry-run.threads", threads, 0);
        }
    }

    private static void atLeastOne(String name, long value) {
        SettingChecks.atLeast("salesledger.rules." + name, value, 1);
    }

    private static void positive(String name, Duration value) {
        SettingChecks.positive("salesledger.rules." + name, value);
    }
}
