package org.salesledger.projections.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.access.Scope;
import org.salesledger.projections.attribution.AttributionReadModel.ChannelCredit;
import org.salesledger.projections.attribution.AttributionReadModel.DataDrivenAttribution;
import org.salesledger.projections.attribution.AttributionReadModel.Selection;
import org.salesledger.projections.attribution.datadriven.DataDrivenModel;
import org.salesledger.projections.testing.Migrated;

/**
 * The data-driven models (ADR 0009) over the attribution read model's journeys on a real PostgreSQL: actions
 * through the projection, journeys summed per path, the library's credit per channel and currency, checked to
 * the cent against values worked out by hand.
 *
 * <p>The region {@code east} holds four journeys (lookback 90 days takes in every touch):
 * <pre>
 *   e-1  A          converts, 100 CNY
 *   e-2  A → B      converts, 200 CNY
 *   e-3  B          does not convert
 *   e-4  B → A      does not convert
 * </pre>
 * The region {@code west} adds {@code w-1} ({@code C}, converts, 50 USD) and {@code w-2}, registered over a year
 * before its conversion (10 CNY), so that no touch lies in its window: its path is {@code (none)}.
 */
class DataDrivenAttributionIT {

    private static final Selection EAST = new Selection(null, null, "east", null, null);

    @Migrated
    private static CloseableDSLContext db;
    private AttributionQueries queries;

    @BeforeEach
    void setUp() {
        AttributionSettings settings = new AttributionSettings(AttributionDefinition.defaults());
        AttributionProjection projection = new AttributionProjection(db, new AttributionTables().attributionTables(),
                settings);
        projection.reset();
        queries = new AttributionQueries(db, settings);
        ActionLog log = new ActionLog();
        log.register("e-1", "A", "2025-03-01T00:00:00Z");
        log.contract("e-1", "100.00", "CNY", "2025-03-10T00:00:00Z");
        log.register("e-2", "A", "2025-03-01T00:00:00Z");
        log.touch("e-2", "B", "2025-03-02T00:00:00Z");
        log.contract("e-2", "200.00", "CNY", "2025-03-10T00:00:00Z");
        log.register("e-3", "B", "2025-03-01T00:00:00Z");
        log.register("e-4", "B", "2025-03-01T00:00:00Z");
        log.touch("e-4", "A", "2025-03-02T00:00:00Z");
        log.register("w-1", "west", "t1", "rep-2", "C", "2025-03-01T00:00:00Z");
        log.contract("w-1", "50.00", "USD", "2025-03-10T00:00:00Z");
        log.register("w-2", "west", "t1", "rep-2", "C", "2024-01-01T00:00:00Z");
        log.contract("w-2", "10.00", "CNY", "2025-03-10T00:00:00Z");
        ActionLog.feedInBatches(projection, log.all, 3);
    }

    /**
     * Order 1, east. Transitions counted from the four paths: start→A 2, start→B 2; A→(conversion) 1, A→B 1,
     * A→(null) 1; B→(conversion) 1, B→(null) 1, B→A 1. So every step out of A or B goes each way with 1/3.
     * <ul>
     *   <li>P(conversion from A) = x, from B = y: x = 1/3 + y/3, y = 1/3 + x/3, so x = y = 3/8; P = 3/8.</li>
     *   <li>Without A (its incoming steps lead to (null)): y = 1/3, P = ½·1/3 = 1/6; removal effect
     *       1 − (1/6)/(3/8) = 5/9. Without B, by symmetry, 5/9. Normalised ½ each: 1 conversion each.</li>
     *   <li>Revenue (ChannelAttribution's var_value): reward per visit = revenue of conversions ending there ÷
     *       steps out: A 100/3, B 200/3. Visits: a = ½ + b/3, b = ½ + a/3, so a = b = 3/4; expected value
     *       3/4·(100/3 + 200/3) = 75 per journey (× 4 = 300, the revenue). Without A: b = ½, value ½·200/3 = 100/3,
     *       effect 1 − (100/3)/75 = 5/9. Without B: a = ½, value ½·100/3 = 50/3, effect 1 − (50/3)/75 = 7/9.
     *       Normalised: A 5/12 of 300 = 125.00, B 7/12 of 300 = 175.00.</li>
     * </ul>
     */
    @Test
    void markovCreditsEachChannelByItsRemovalEffectOnConversionsAndOnRevenue() {
        DataDrivenAttribution markov = queries.dataDriven(Scope.ALL, DataDrivenModel.MARKOV, 1, 90, EAST);

        assertThat(markov.model()).isEqualTo(DataDrivenModel.MARKOV);
        assertThat(cents(markov.channels())).containsExactly("A|CNY|1.00|125.00", "B|CNY|1.00|175.00");
    }

    /**
     * Shapley, east: v({A}) = 1/1, v({B}) = 0/1, v({A,B}) = 1/2 (e-2 converts, e-4 does not).
     * <ul>
     *   <li>The set {A}: A alone, φ_A = v({A}) = 1: e-1's conversion and 100 CNY to A.</li>
     *   <li>The set {A,B}: φ_A = ½[(v(A) − 0) + (v(AB) − v(B))] = ½[1 + ½] = 3/4,
     *       φ_B = ½[(v(B) − 0) + (v(AB) − v(A))] = ½[0 − ½] = −1/4; they add up to v(AB) = ½. e-2's conversion and
     *       200 CNY are shared by φ/v(AB): A 3/2 (300 CNY), B −1/2 (−100 CNY).</li>
     * </ul>
     * A: 2.5 conversions, 400.00 CNY; B: −0.5, −100.00 CNY (a channel whose presence lowers the rate: kept).
     */
    @Test
    void shapleySharesEachChannelSetsConversionsByTheShapleyValuesOfItsGame() {
        DataDrivenAttribution shapley = queries.dataDriven(Scope.ALL, DataDrivenModel.SHAPLEY, 1, 90, EAST);

        assertThat(cents(shapley.channels())).containsExactly("A|CNY|2.50|400.00", "B|CNY|-0.50|-100.00");
    }

    /**
     * Simplified Shapley, everything: e-1 → A 1 (100 CNY); e-2 → A ½, B ½ (100 CNY each); w-1 → C 1 (50 USD);
     * w-2 has no touch within 90 days of its conversion → (none) 1 (10 CNY). Non-converting journeys get nothing.
     */
    @Test
    void simplifiedShapleySplitsEachConversionEquallyAndAJourneyWithoutTouchesGoesToNone() {
        DataDrivenAttribution simplified = queries.dataDriven(Scope.ALL, DataDrivenModel.SHAPLEY_SIMPLIFIED, 1, 90,
                Selection.ALL);

        assertThat(cents(simplified.channels())).containsExactly("(none)|CNY|1.00|10.00", "A|CNY|1.50|200.00",
                "B|CNY|0.50|100.00", "C|USD|1.00|50.00");
    }

    /** With a longer window w-2's registration (C) is on its path, which only the window changes. */
    @Test
    void theWindowDecidesWhichTouchesAreOnAPath() {
        DataDrivenAttribution simplified = queries.dataDriven(Scope.ALL, DataDrivenModel.SHAPLEY_SIMPLIFIED, 1, 800,
                new Selection(null, null, "west", null, null));

        assertThat(cents(simplified.channels())).containsExactly("C|CNY|1.00|10.00", "C|USD|1.00|50.00");
    }

    /**
     * Order 2 on the same journeys: the states are windows of two touches (A; A·B; B; B·A), so each path is a
     * chain of its own after the start: start→A ¼ (converts), start→A·B ¼ (converts), start→B ¼ (null),
     * start→B·A ¼ (null). P = ½. A state holding A is on the paths of e-1, e-2 (and e-4, which does not convert):
     * without A, P = 0, effect 1; without B, only e-1 converts, P = ¼, effect ½. Normalised: A 2/3, B 1/3 of
     * 2 conversions; revenue: without A nothing, effect 1; without B only e-1's 100 of 300, effect 2/3:
     * A 3/5 of 300 = 180.00, B 2/5 = 120.00.
     */
    @Test
    void markovOfOrderTwoChainsWindowsOfTwoTouches() {
        DataDrivenAttribution markov = queries.dataDriven(Scope.ALL, DataDrivenModel.MARKOV, 2, 90, EAST);

        assertThat(cents(markov.channels())).containsExactly("A|CNY|1.33|180.00", "B|CNY|0.67|120.00");
    }

    /** Conversions before {@code from} are not journeys of the selection; the rest never converted. */
    @Test
    void aSelectionWithoutConversionsCreditsNothing() {
        Selection later = new Selection(Instant.parse("2025-03-11T00:00:00Z"), null, "east", null, null);

        for (DataDrivenModel model : DataDrivenModel.values()) {
            assertThat(queries.dataDriven(Scope.ALL, model, 1, 90, later).channels()).as(model.modelName()).isEmpty();
        }
    }

    private static List<String> cents(List<ChannelCredit> channels) {
        return channels.stream().map(c -> c.channel() + "|" + c.currency() + "|"
                + c.conversions().setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "|"
                + c.revenue().setScale(2, RoundingMode.HALF_EVEN).toPlainString()).toList();
    }
}
