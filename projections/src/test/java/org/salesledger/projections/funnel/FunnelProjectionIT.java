package org.salesledger.projections.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.axonframework.messaging.MetaData;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.ObjectionType;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;
import org.salesledger.projections.funnel.FunnelReadModel.Dimension;
import org.salesledger.projections.funnel.FunnelReadModel.Filter;
import org.salesledger.projections.funnel.FunnelReadModel.Funnel;
import org.salesledger.projections.funnel.FunnelReadModel.StageFigures;
import org.salesledger.projections.testing.ReadModelDatabase;

/** The funnel of contract §2, built by the projection's handlers on a real PostgreSQL. */
class FunnelProjectionIT {

    private static CloseableDSLContext db;
    private FunnelProjection projection;
    private FunnelReadModel funnels;
    private final Map<String, Long> sequences = new HashMap<>();

    @BeforeAll
    static void database() {
        db = ReadModelDatabase.migrated();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void setUp() {
        projection = new FunnelProjection(db, new FunnelTables().funnelTables());
        projection.reset();
        funnels = new FunnelQueries(db);
        sequences.clear();
    }

    // ---- stage semantics ----

    @Test
    void aCustomerThatSkipsStagesHasReachedEveryEarlierOne() {
        register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(trial("c-1"), "2025-03-02T09:00:00Z");

        Funnel funnel = funnels.funnel(Filter.ALL);

        assertThat(current(funnel)).containsExactly(0L, 0L, 0L, 0L, 1L, 0L);
        assertThat(reached(funnel)).containsExactly(1L, 1L, 1L, 1L, 1L, 0L);
    }

    @Test
    void aPriceObjectionCountsOnlyAfterAProposal() {
        register("before", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(objection("before", ObjectionType.PRICE), "2025-03-02T09:00:00Z");
        register("after", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(proposal("after"), "2025-03-02T09:00:00Z");
        act(objection("after", ObjectionType.PRICE), "2025-03-03T09:00:00Z");

        Funnel funnel = funnels.funnel(Filter.ALL);

        assertThat(current(funnel)).containsExactly(1L, 0L, 0L, 1L, 0L, 0L);
    }

    @Test
    void aLostCustomerKeepsWhatItReachedAndAWonCustomerStaysWon() {
        register("lost", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(proposal("lost"), "2025-03-02T09:00:00Z");
        act(lost("lost"), "2025-03-03T09:00:00Z");
        act(trial("lost"), "2025-03-04T09:00:00Z");
        register("won", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(contract("won", "K-1"), "2025-03-02T09:00:00Z");
        act(needs("won"), "2025-03-03T09:00:00Z");
        act(payment("won", "K-1"), "2025-03-04T09:00:00Z");

        Funnel funnel = funnels.funnel(Filter.ALL);

        assertThat(funnel.won()).isEqualTo(1);
        assertThat(funnel.lost()).isEqualTo(1);
        assertThat(funnel.winRate()).isEqualTo(0.5);
        assertThat(reached(funnel)).containsExactly(2L, 2L, 2L, 1L, 1L, 1L);
        assertThat(current(funnel)).containsExactly(0L, 0L, 0L, 0L, 0L, 1L);
        assertThat(funnel.stages().get(2).conversionToNext()).isEqualTo(0.5);
        assertThat(funnel.stages().get(5).conversionToNext()).isNull();
    }

    @Test
    void anActionSeenAgainChangesNothing() {
        register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        ProposalSent proposal = proposal("c-1");
        act(proposal, "2025-03-02T09:00:00Z");
        projection.on(proposal, 1L, metadata("2025-03-09T09:00:00Z"));
        projection.on(lost("c-1"), 1L, metadata("2025-03-09T09:00:00Z"));

        assertThat(current(funnels.funnel(Filter.ALL))).containsExactly(0L, 0L, 1L, 0L, 0L, 0L);
    }

    @Test
    void averageDaysInAStageCountCustomersThatLeftIt() {
        register("a", "east", "t1", "rep-1", "web", "2025-03-01T00:00:00Z");
        act(proposal("a"), "2025-03-03T00:00:00Z");
        register("b", "east", "t1", "rep-1", "web", "2025-03-01T00:00:00Z");
        act(proposal("b"), "2025-03-05T00:00:00Z");
        act(trial("b"), "2025-03-06T12:00:00Z");

        Funnel funnel = funnels.funnel(Filter.ALL);

        assertThat(funnel.stages().get(0).avgDaysInStage()).isCloseTo(3.0, within(1e-9));
        assertThat(funnel.stages().get(2).avgDaysInStage()).isCloseTo(1.5, within(1e-9));
        assertThat(funnel.stages().get(4).avgDaysInStage()).isNull();
    }

    @Test
    void aReassignedCustomerCountsForItsNewOwnerAndRuleMadeActionsChangeNothing() {
        register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(needs("c-1"), "2025-03-02T09:00:00Z");
        act(new org.salesledger.kernel.rules.CustomerTagged(id("c-1"), "vip", "r", 1, null), "2025-03-03T09:00:00Z");
        long sequence = sequences.merge("c-1", 1L, Long::sum);
        projection.on(new org.salesledger.kernel.pool.CustomerReassigned(id("c-1"), RepId.of("rep-1"), RepId.of("rep-2"),
                "SUPERVISOR", "holiday", null), sequence);
        projection.on(new org.salesledger.kernel.pool.CustomerReassigned(id("c-1"), RepId.of("rep-9"), RepId.of("rep-9"),
                "SUPERVISOR", "seen before", null), sequence);

        Funnel oldOwner = funnels.funnel(new Filter(null, null, "rep-1", null, null, null));
        Funnel newOwner = funnels.funnel(new Filter(null, null, "rep-2", null, null, null));

        assertThat(current(oldOwner)).containsOnly(0L);
        assertThat(current(newOwner)).containsExactly(0L, 1L, 0L, 0L, 0L, 0L);
        assertThat(db.fetchValue("SELECT last_action_type FROM funnel_customer WHERE customer_id = 'c-1'"))
                .isEqualTo("NeedsConfirmed");
    }

    @Test
    void anEmptySelectionHasZeroCountsAndNoRates() {
        Funnel funnel = funnels.funnel(new Filter("nowhere", null, null, null, null, null));

        assertThat(current(funnel)).containsOnly(0L);
        assertThat(funnel.winRate()).isNull();
        assertThat(funnel.stages().get(0).conversionToNext()).isNull();
    }

    // ---- against an independent computation ----

    @Test
    void everyFilterAndBreakdownEqualsAnIndependentComputation() {
        Map<String, Oracle.Customer> expected = generate(400, 42);
        List<Filter> filters = List.of(Filter.ALL,
                new Filter("east", null, null, null, null, null),
                new Filter(null, "t2", null, null, null, null),
                new Filter(null, null, "rep-3", null, null, null),
                new Filter(null, null, null, "wechat", null, null),
                new Filter(null, null, null, null, LocalDate.of(2025, 2, 1), LocalDate.of(2025, 4, 1)),
                new Filter("west", "t1", null, "web", LocalDate.of(2025, 1, 15), null));
        for (Filter filter : filters) {
            assertThat(figures(funnels.funnel(filter))).as(filter.toString())
                    .isEqualTo(Oracle.funnel(expected.values().stream().filter(Oracle.selects(filter)).toList()));
        }
        for (Dimension by : Dimension.values()) {
            Map<String, List<Long>> actual = new TreeMap<>();
            funnels.funnelBy(Filter.ALL, by).forEach(g -> actual.put(g.key(), figures(g.funnel())));
            Map<String, List<Oracle.Customer>> groups = new TreeMap<>();
            expected.values().forEach(c -> groups.computeIfAbsent(Oracle.key(c, by), k -> new ArrayList<>()).add(c));
            Map<String, List<Long>> wanted = new TreeMap<>();
            groups.forEach((k, cs) -> wanted.put(k, Oracle.funnel(cs)));
            assertThat(actual).as(by.name()).isEqualTo(wanted);
        }
    }

    /** Random journeys for n customers, fed to the projection in stored order, and what the oracle makes of them. */
    private Map<String, Oracle.Customer> generate(int n, long seed) {
        Random random = new Random(seed);
        String[] regions = {"east", "west", "north"};
        String[] channels = {"web", "wechat", "exhibition"};
        Map<String, Oracle.Customer> customers = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String id = "g-" + i;
            OffsetDateTime t = OffsetDateTime.parse("2025-01-01T08:00:00Z").plusHours(random.nextInt(24 * 120));
            String team = random.nextInt(5) == 0 ? null : "t" + (1 + random.nextInt(2));
            Oracle.Customer c = new Oracle.Customer(regions[random.nextInt(3)], team, "rep-" + random.nextInt(5),
                    channels[random.nextInt(3)], t);
            customers.put(id, c);
            register(id, c.region, c.team, c.rep, c.channel, t.toString());
            int steps = random.nextInt(7);
            for (int s = 0; s < steps; s++) {
                t = t.plusHours(1 + random.nextInt(200));
                CustomerAction action = switch (random.nextInt(9)) {
                    case 0 -> needs(id);
                    case 1, 2 -> proposal(id);
                    case 3 -> objection(id, random.nextBoolean() ? ObjectionType.PRICE : ObjectionType.COMPETITOR);
                    case 4 -> trial(id);
                    case 5 -> contract(id, "K-" + s);
                    case 6 -> lost(id);
                    default -> visit(id);
                };
                act(action, t.toString());
                c.apply(action);
            }
        }
        return customers;
    }

    /** An independent statement of contract §2, written apart from Lifecycle on purpose. */
    static final class Oracle {
        static final List<String> ORDER = List.of("FIRST_CONTACT", "NEEDS_CONFIRMED", "PROPOSAL_SENT",
                "PRICE_OBJECTION", "TRIAL_REQUESTED", "CONTRACT_SIGNED");

        static final class Customer {
            final String region;
            final String team;
            final String rep;
            final String channel;
            final OffsetDateTime registeredAt;
            String stage = "FIRST_CONTACT";
            int furthest = 0;

            Customer(String region, String team, String rep, String channel, OffsetDateTime registeredAt) {
                this.region = region;
                this.team = team;
                this.rep = rep;
                this.channel = channel;
                this.registeredAt = registeredAt;
            }

            void apply(CustomerAction action) {
                if (stage.equals("CONTRACT_SIGNED") || stage.equals("LOST")) {
                    return;
                }
                if (action instanceof DealLost) {
                    stage = "LOST";
                    return;
                }
                String target = null;
                if (action instanceof NeedsConfirmed) {
                    target = "NEEDS_CONFIRMED";
                } else if (action instanceof ProposalSent) {
                    target = "PROPOSAL_SENT";
                } else if (action instanceof TrialRequested) {
                    target = "TRIAL_REQUESTED";
                } else if (action instanceof ContractSigned) {
                    target = "CONTRACT_SIGNED";
                } else if (action instanceof ObjectionRaised o && o.objectionType() == ObjectionType.PRICE
                        && ORDER.indexOf(stage) >= ORDER.indexOf("PROPOSAL_SENT")) {
                    target = "PRICE_OBJECTION";
                }
                if (target != null && ORDER.indexOf(target) > ORDER.indexOf(stage)) {
                    stage = target;
                    furthest = Math.max(furthest, ORDER.indexOf(target));
                }
            }
        }

        static Predicate<Customer> selects(Filter f) {
            return c -> (f.region() == null || f.region().equals(c.region))
                    && (f.team() == null || f.team().equals(c.team))
                    && (f.rep() == null || f.rep().equals(c.rep))
                    && (f.channel() == null || f.channel().equals(c.channel))
                    && (f.from() == null || !c.registeredAt.toLocalDate().isBefore(f.from()))
                    && (f.to() == null || c.registeredAt.toLocalDate().isBefore(f.to()));
        }

        static String key(Customer c, Dimension by) {
            Function<Customer, String> key = switch (by) {
                case REGION -> x -> x.region;
                case TEAM -> x -> x.team == null ? "(none)" : x.team;
                case REP -> x -> x.rep;
                case CHANNEL -> x -> x.channel;
                case MONTH -> x -> x.registeredAt.toString().substring(0, 7);
            };
            return key.apply(c);
        }

        /** current × 6, reached × 6, won, lost: the integer figures of a funnel. */
        static List<Long> funnel(List<Customer> customers) {
            List<Long> figures = new ArrayList<>();
            for (String s : ORDER) {
                figures.add(customers.stream().filter(c -> c.stage.equals(s)).count());
            }
            for (int rank = 0; rank < ORDER.size(); rank++) {
                int r = rank;
                figures.add(customers.stream().filter(c -> c.furthest >= r).count());
            }
            figures.add(customers.stream().filter(c -> c.stage.equals("CONTRACT_SIGNED")).count());
            figures.add(customers.stream().filter(c -> c.stage.equals("LOST")).count());
            return figures;
        }
    }

    // ---- helpers ----

    private static List<Long> figures(Funnel funnel) {
        List<Long> figures = new ArrayList<>(current(funnel));
        figures.addAll(reached(funnel));
        figures.add(funnel.won());
        figures.add(funnel.lost());
        return figures;
    }

    private static List<Long> current(Funnel funnel) {
        return funnel.stages().stream().map(StageFigures::current).toList();
    }

    private static List<Long> reached(Funnel funnel) {
        return funnel.stages().stream().map(StageFigures::reached).toList();
    }

    private void register(String id, String region, String team, String rep, String channel, String time) {
        sequences.put(id, 0L);
        projection.on(new CustomerRegistered(CustomerId.of(id), "n", region, RepId.of(rep), channel, team, null,
                null, null, null, Map.of()), 0L, metadata(time));
    }

    private void act(CustomerAction action, String time) {
        long sequence = sequences.merge(action.customerId().value(), 1L, Long::sum);
        projection.on(action, sequence, metadata(time));
    }

    private static MetaData metadata(String time) {
        return MetaData.from(Map.of(ActionMetadata.OCCURRED_AT, time));
    }

    private static CustomerId id(String c) {
        return CustomerId.of(c);
    }

    private static NeedsConfirmed needs(String c) {
        return new NeedsConfirmed(id(c), null, Map.of());
    }

    private static ProposalSent proposal(String c) {
        return new ProposalSent(id(c), null, null, null, null, Map.of());
    }

    private static ObjectionRaised objection(String c, ObjectionType type) {
        return new ObjectionRaised(id(c), type, null, Map.of());
    }

    private static TrialRequested trial(String c) {
        return new TrialRequested(id(c), null, Map.of());
    }

    private static ContractSigned contract(String c, String k) {
        return new ContractSigned(id(c), k, new Money(BigDecimal.TEN, "CNY"), null, null, Map.of());
    }

    private static PaymentReceived payment(String c, String k) {
        return new PaymentReceived(id(c), k, new Money(BigDecimal.ONE, "CNY"), Map.of());
    }

    private static DealLost lost(String c) {
        return new DealLost(id(c), "price", Map.of());
    }

    private static VisitLogged visit(String c) {
        return new VisitLogged(id(c), "role", null, null, null, null, null, Map.of());
    }
}
