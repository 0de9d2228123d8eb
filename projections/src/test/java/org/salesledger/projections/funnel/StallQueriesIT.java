package org.salesledger.projections.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.messaging.MetaData;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.customer.CustomerSnoozed;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;
import org.salesledger.projections.funnel.FunnelReadModel.Filter;
import org.salesledger.projections.funnel.StallReadModel.StalledCustomer;
import org.salesledger.projections.testing.Migrated;
import org.springframework.mock.env.MockEnvironment;

/** Stalled and idle work lists and time per stage, on a real PostgreSQL. "Now" is Monday 2025-03-10 12:00 UTC. */
class StallQueriesIT {

    private static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");
    @Migrated
    private static CloseableDSLContext db;
    private FunnelProjection projection;
    private StallReadModel stalls;
    private final Map<String, Long> sequences = new HashMap<>();

    @BeforeEach
    void setUp() {
        projection = new FunnelProjection(db, new FunnelTables().funnelTables());
        projection.reset();
        stalls = new StallQueries(db, new StallThresholds(
                new MockEnvironment().withProperty("salesledger.stalled.threshold.FIRST_CONTACT", "P30D")));
        sequences.clear();
    }

    @Test
    void listsCustomersStuckInAStageLongerThanAskedOldestFirst() {
        customer("old", "east", "2025-03-01T00:00:00Z", proposal("old"), "2025-03-02T00:00:00Z");
        customer("older", "west", "2025-03-01T00:00:00Z", proposal("older"), "2025-03-01T06:00:00Z");
        customer("fresh", "east", "2025-03-01T00:00:00Z", proposal("fresh"), "2025-03-09T00:00:00Z");

        var stalled = stalls.stalled(Scope.ALL, Filter.ALL,
                Stage.PROPOSAL_SENT, Duration.ofHours(72), false, false, NOW, 10);

        assertThat(stalled).extracting(StalledCustomer::customerId).containsExactly("older", "old");
        assertThat(stalled.get(0).waiting()).isEqualTo(Duration.ofHours(9 * 24 + 6));
        assertThat(stalled.get(0).ownerRepId()).isEqualTo("rep-1");
        assertThat(stalled.get(0).lastActionType()).isEqualTo("ProposalSent");
    }

    @Test
    void theFiltersSelectTheCustomersAndTheLimitCutsTheList() {
        customer("old", "east", "2025-03-01T00:00:00Z", proposal("old"), "2025-03-02T00:00:00Z");
        customer("older", "west", "2025-03-01T00:00:00Z", proposal("older"), "2025-03-01T06:00:00Z");

        assertThat(stalls.stalled(Scope.ALL, new Filter("east", null, null, null, null, null), Stage.PROPOSAL_SENT,
                Duration.ofHours(72), false, false, NOW, 10)).extracting(StalledCustomer::customerId)
                .containsExactly("old");
        assertThat(stalls.stalled(Scope.ALL, Filter.ALL,
                Stage.PROPOSAL_SENT, Duration.ofHours(72), false, false, NOW, 1))
                .extracting(StalledCustomer::customerId).containsExactly("older");
    }

    @Test
    void withoutAThresholdEachStageUsesItsDefault() {
        customer("proposal-4d", "east", "2025-03-01T00:00:00Z", proposal("proposal-4d"), "2025-03-06T12:00:00Z");
        customer("first-contact-9d", "east", "2025-03-01T12:00:00Z", visit("first-contact-9d"), "2025-03-02T00:00:00Z");
        customer("trial-4d", "east", "2025-03-01T00:00:00Z", trial("trial-4d"), "2025-03-06T12:00:00Z");

        assertThat(stalls.stalled(Scope.ALL, Filter.ALL,
                null, null, false, false, NOW, 10)).extracting(StalledCustomer::customerId)
                .containsExactly("proposal-4d");
    }

    @Test
    void businessDaysLeaveTheWeekendOut() {
        // entered Friday 2025-03-07 12:00; by Monday 12:00 that is 72 calendar hours but 24 business hours
        customer("friday", "east", "2025-03-01T00:00:00Z", proposal("friday"), "2025-03-07T12:00:00Z");

        assertThat(stalls.stalled(Scope.ALL, Filter.ALL,
                Stage.PROPOSAL_SENT, Duration.ofHours(72), false, false, NOW, 10)).hasSize(1);
        var business = stalls.stalled(Scope.ALL, Filter.ALL,
                Stage.PROPOSAL_SENT, Duration.ofHours(24), true, false, NOW, 10);
        assertThat(business).singleElement().satisfies(c -> assertThat(c.waiting()).isEqualTo(Duration.ofHours(24)));
        assertThat(stalls.stalled(Scope.ALL, Filter.ALL,
                Stage.PROPOSAL_SENT, Duration.ofHours(25), true, false, NOW, 10)).isEmpty();
    }

    @Test
    void wonCustomersAreNeverStalledAndIdleListsLeaveThemOutUnlessAsked() {
        customer("won", "east", "2025-01-01T00:00:00Z", contract("won"), "2025-01-02T00:00:00Z");
        customer("quiet", "east", "2025-01-01T00:00:00Z", visit("quiet"), "2025-02-01T00:00:00Z");
        customer("busy", "east", "2025-01-01T00:00:00Z", visit("busy"), "2025-03-09T00:00:00Z");

        assertThat(stalls.stalled(Scope.ALL, Filter.ALL, null, Duration.ZERO, false, false, NOW, 10))
                .extracting(StalledCustomer::customerId).doesNotContain("won");
        assertThat(stalls.idle(Scope.ALL, Filter.ALL, 7, false, false, NOW, 10)).extracting(StalledCustomer::customerId)
                .containsExactly("quiet");
        assertThat(stalls.idle(Scope.ALL, Filter.ALL, 7, true, false, NOW, 10)).extracting(StalledCustomer::customerId)
                .containsExactly("won", "quiet");
    }

    /**
     * rep-1 owns "east-old" and "west", rep-2 owns "moved" (reassigned from rep-1): each scope lists only its
     * customers, and a limit gives that many of them, not that many of everyone's filtered afterwards.
     */
    @Test
    void theListsHoldOnlyTheCustomersOfTheScopeAndTheLimitCountsOnlyThem() {
        customer("east-old", "east", "2025-02-01T00:00:00Z", proposal("east-old"), "2025-02-02T00:00:00Z");
        customer("west", "west", "2025-02-01T00:00:00Z", proposal("west"), "2025-02-03T00:00:00Z");
        customer("moved", "east", "2025-02-01T00:00:00Z", proposal("moved"), "2025-02-04T00:00:00Z");
        act(new CustomerReassigned(CustomerId.of("moved"), RepId.of("rep-1"), RepId.of("rep-2"), "SUPERVISOR", null,
                Map.of()), "2025-02-05T00:00:00Z");
        Scope rep1 = Scope.owners(Set.of("rep-1"));
        Scope rep2 = Scope.owners(Set.of("rep-2"));
        Scope team = Scope.owners(Set.of("rep-1", "rep-2"));
        Scope east = Scope.region("east");

        assertThat(stalledIn(rep2, Filter.ALL, 1)).containsExactly("moved");
        assertThat(stalledIn(rep1, Filter.ALL, 10)).containsExactly("east-old", "west");
        assertThat(stalledIn(team, Filter.ALL, 10)).containsExactly("east-old", "west", "moved");
        assertThat(stalledIn(east, Filter.ALL, 10)).containsExactly("east-old", "moved");
        assertThat(stalledIn(Scope.region("west"), Filter.ALL, 1)).containsExactly("west");
        assertThat(stalledIn(Scope.NOTHING, Filter.ALL, 10)).isEmpty();
        assertThat(stalledIn(east, new Filter("west", null, null, null, null, null), 10)).isEmpty();
        assertThat(stalledIn(rep2, new Filter(null, null, "rep-1", null, null, null), 10)).isEmpty();
        assertThat(stalledIn(team, new Filter(null, null, "rep-2", null, null, null), 10)).containsExactly("moved");

        assertThat(stalls.idle(rep2, Filter.ALL, 7, false, false, NOW, 1)).extracting(StalledCustomer::customerId)
                .containsExactly("moved");
        assertThat(stalls.idle(Scope.region("west"), Filter.ALL, 7, false, false, NOW, 1))
                .extracting(StalledCustomer::customerId).containsExactly("west");
        assertThat(stalls.idle(Scope.NOTHING, Filter.ALL, 7, false, false, NOW, 10)).isEmpty();

        assertThat(stalls.stages(rep2, "moved", NOW)).isPresent();
        assertThat(stalls.stages(east, "moved", NOW)).isPresent();
        assertThat(stalls.stages(rep1, "moved", NOW)).as("no longer rep-1's").isEmpty();
        assertThat(stalls.stages(Scope.region("west"), "moved", NOW)).isEmpty();
        assertThat(stalls.stages(Scope.NOTHING, "west", NOW)).isEmpty();
    }

    private List<String> stalledIn(Scope scope, Filter filter, int limit) {
        return stalls.stalled(scope, filter, Stage.PROPOSAL_SENT, Duration.ofHours(72), false, false, NOW, limit)
                .stream().map(StalledCustomer::customerId).toList();
    }

    @Test
    void eachStageShowsWhenItWasEnteredAndLeftAndTheTimeSpent() {
        customer("c", "east", "2025-03-01T00:00:00Z", proposal("c"), "2025-03-03T00:00:00Z");
        act(trial("c"), "2025-03-04T12:00:00Z");

        var stays = stalls.stages(Scope.ALL, "c", NOW).orElseThrow();

        assertThat(stays).extracting(StallReadModel.StageStay::stage)
                .containsExactly(Stage.FIRST_CONTACT, Stage.PROPOSAL_SENT, Stage.TRIAL_REQUESTED);
        assertThat(stays).extracting(StallReadModel.StageStay::spent)
                .containsExactly(Duration.ofDays(2), Duration.ofHours(36), Duration.ofDays(6));
        assertThat(stays.get(2).exitedAt()).isNull();
        assertThat(stalls.stages(Scope.ALL, "nobody", NOW)).isEmpty();
    }

    // ---- snoozing ----

    @Test
    void aSnoozedCustomerLeavesTheStalledAndIdleListsUntilTheStartOfItsDate() {
        customer("holiday", "east", "2025-02-01T00:00:00Z", proposal("holiday"), "2025-02-02T00:00:00Z");
        customer("stuck", "east", "2025-02-01T00:00:00Z", proposal("stuck"), "2025-02-03T00:00:00Z");
        act(snooze("holiday", "2025-03-15", "champion on holiday"), "2025-03-05T00:00:00Z");

        assertThat(stalledProposals(NOW, false)).containsExactly("stuck");
        assertThat(idle(NOW, false)).containsExactly("stuck");
        assertThat(stalledProposals(Instant.parse("2025-03-14T23:59:59Z"), false)).containsExactly("stuck");
        assertThat(stalledProposals(Instant.parse("2025-03-15T00:00:00Z"), false)).containsExactly("holiday", "stuck");
        assertThat(idle(Instant.parse("2025-03-15T00:00:00Z"), false)).containsExactly("holiday", "stuck");
    }

    @Test
    void snoozedCustomersAreListedWithTheirDateAndReasonOnlyWhenAsked() {
        customer("holiday", "east", "2025-02-01T00:00:00Z", proposal("holiday"), "2025-02-02T00:00:00Z");
        customer("stuck", "east", "2025-02-01T00:00:00Z", proposal("stuck"), "2025-02-03T00:00:00Z");
        act(snooze("holiday", "2025-03-15", "champion on holiday"), "2025-03-05T00:00:00Z");

        var stalled = stalls.stalled(Scope.ALL, Filter.ALL,
                Stage.PROPOSAL_SENT, Duration.ofHours(72), false, true, NOW, 10);
        var idle = stalls.idle(Scope.ALL, Filter.ALL, 7, false, true, NOW, 10);

        assertThat(stalled).extracting(StalledCustomer::customerId).containsExactly("holiday", "stuck");
        assertThat(stalled.get(0).snoozedUntil()).isEqualTo(LocalDate.of(2025, 3, 15));
        assertThat(stalled.get(0).snoozeReason()).isEqualTo("champion on holiday");
        assertThat(stalled.get(1).snoozedUntil()).isNull();
        assertThat(stalled.get(1).snoozeReason()).isNull();
        assertThat(idle).extracting(StalledCustomer::snoozeReason).containsExactly("champion on holiday", null);
    }

    @Test
    void theLatestSnoozeWinsSoASnoozeUntilAPastDateEndsItEarly() {
        customer("holiday", "east", "2025-02-01T00:00:00Z", proposal("holiday"), "2025-02-02T00:00:00Z");
        act(snooze("holiday", "2025-04-01", "champion on holiday"), "2025-03-05T00:00:00Z");
        act(snooze("holiday", "2025-03-10", "champion came back early"), "2025-03-09T00:00:00Z");

        var stalled = stalls.stalled(Scope.ALL, Filter.ALL,
                Stage.PROPOSAL_SENT, Duration.ofHours(72), false, true, NOW, 10);

        assertThat(stalledProposals(NOW, false)).containsExactly("holiday");
        assertThat(stalled).singleElement().satisfies(c -> {
            assertThat(c.snoozedUntil()).isNull();
            assertThat(c.snoozeReason()).isNull();
        });
    }

    @Test
    void aSnoozeIsNotAnInteractionAndMovesNoStage() {
        customer("holiday", "east", "2025-02-01T00:00:00Z", proposal("holiday"), "2025-02-02T00:00:00Z");
        act(snooze("holiday", "2025-03-08", "champion on holiday"), "2025-03-05T00:00:00Z");

        assertThat(stalls.idle(Scope.ALL, Filter.ALL, 7, false, false, NOW, 10)).singleElement().satisfies(c -> {
            assertThat(c.lastActionType()).isEqualTo("ProposalSent");
            assertThat(c.lastActionAt()).isEqualTo(OffsetDateTime.parse("2025-02-02T00:00:00Z"));
            assertThat(c.stage()).isEqualTo(Stage.PROPOSAL_SENT);
        });
    }

    @Test
    void anOlderSnoozeSeenAgainChangesNothing() {
        customer("holiday", "east", "2025-02-01T00:00:00Z", proposal("holiday"), "2025-02-02T00:00:00Z");
        CustomerSnoozed first = snooze("holiday", "2025-04-01", "champion on holiday");
        act(first, "2025-03-05T00:00:00Z");
        act(snooze("holiday", "2025-03-01", "back early"), "2025-03-06T00:00:00Z");
        projection.on(first, 2L, metadata("2025-03-05T00:00:00Z"));

        assertThat(stalledProposals(NOW, false)).containsExactly("holiday");
    }

    private List<String> stalledProposals(Instant now, boolean includeSnoozed) {
        return stalls.stalled(Scope.ALL, Filter.ALL,
                Stage.PROPOSAL_SENT, Duration.ofHours(72), false, includeSnoozed, now, 10)
                .stream().map(StalledCustomer::customerId).toList();
    }

    private List<String> idle(Instant now, boolean includeSnoozed) {
        return stalls.idle(Scope.ALL, Filter.ALL,
                7, false, includeSnoozed, now, 10).stream().map(StalledCustomer::customerId)
                .toList();
    }

    private static CustomerSnoozed snooze(String c, String until, String reason) {
        return new CustomerSnoozed(CustomerId.of(c), LocalDate.parse(until), reason, Map.of());
    }

    // ---- helpers ----

    private void customer(String id, String region, String registeredAt, CustomerAction then, String thenAt) {
        sequences.put(id, 0L);
        projection.on(new CustomerRegistered(CustomerId.of(id), "Name " + id, region, RepId.of("rep-1"), "web",
                null, null, null, null, null, Map.of()), 0L, metadata(registeredAt));
        act(then, thenAt);
    }

    private void act(CustomerAction action, String time) {
        projection.on(action, sequences.merge(action.customerId().value(), 1L, Long::sum), metadata(time));
    }

    private static MetaData metadata(String time) {
        return MetaData.from(Map.of(ActionMetadata.OCCURRED_AT, time));
    }

    private static ProposalSent proposal(String c) {
        return new ProposalSent(CustomerId.of(c), null, null, null, null, Map.of());
    }

    private static TrialRequested trial(String c) {
        return new TrialRequested(CustomerId.of(c), null, Map.of());
    }

    private static ContractSigned contract(String c) {
        return new ContractSigned(CustomerId.of(c), "K", new Money(BigDecimal.ONE, "CNY"), null, null, Map.of());
    }

    private static VisitLogged visit(String c) {
        return new VisitLogged(CustomerId.of(c), "role", null, null, null, null, null, Map.of());
    }
}
