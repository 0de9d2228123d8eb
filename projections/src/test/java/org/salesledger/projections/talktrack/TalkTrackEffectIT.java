package org.salesledger.projections.talktrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;
import org.salesledger.projections.testing.Migrated;

/** A script's measured effect: deals within 30 days after a use, and the decision cycle with vs without it. */
class TalkTrackEffectIT {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    @Migrated
    private static CloseableDSLContext db;
    private TalkTrackProjection projection;
    private TalkTrackEffectReadModel effects;
    private final Map<String, Integer> ids = new HashMap<>();

    @BeforeEach
    void setUp() {
        projection = new TalkTrackProjection(db, new TalkTrackTables().talkTrackTables());
        projection.reset();
        effects = new TalkTrackEffectQueries(db);
    }

    private MetaData at(String customer, int day) {
        int n = ids.merge(customer, 1, Integer::sum);
        return MetaData.with(ActionMetadata.OCCURRED_AT, T0.plusSeconds(day * 86_400L).toString())
                .and(ActionMetadata.ACTION_ID, customer + "-" + n);
    }

    private void proposal(String c, int day) {
        projection.on(new ProposalSent(CustomerId.of(c), new Document("s3://p.pdf", Document.PDF),
                LocalDate.of(2026, 1, 1), List.of("a", "b", "c"), null, null), (long) day, at(c, day));
    }

    private void signed(String c, int day) {
        projection.on(new ContractSigned(CustomerId.of(c), "K-" + day, new Money(BigDecimal.TEN, "CNY"), null, null,
                null), (long) day, at(c, day));
    }

    private void used(String c, String script, int day, TalkTrackFeedback feedback) {
        projection.on(new TalkTrackFeedbackGiven(CustomerId.of(c), "s-" + day, script, feedback, null), (long) day, at(c, day));
    }

    @Test
    void countsDealsWithinThirtyDaysAfterAUseAndComparesTheMedianDecisionCycle() {
        // with cert-1: 10 and 20 days from proposal to contract; signed 5 and 40 days after the use
        proposal("w-1", 0);
        used("w-1", "cert-1", 5, TalkTrackFeedback.USED);
        signed("w-1", 10);
        proposal("w-2", 0);
        used("w-2", "cert-1", -20, TalkTrackFeedback.USED);
        signed("w-2", 20);
        // without: 30 and 50 days; one said NOT_APPLICABLE, which is not a use
        proposal("o-1", 0);
        used("o-1", "cert-1", 1, TalkTrackFeedback.NOT_APPLICABLE);
        signed("o-1", 30);
        proposal("o-2", 0);
        signed("o-2", 50);
        signed("o-2", 60); // a second contract does not change the first
        // used after the contract: counts neither as a deal within 30 days nor for the cycle
        proposal("late", 0);
        signed("late", 15);
        used("late", "cert-1", 16, TalkTrackFeedback.USED);

        TalkTrackEffectReadModel.Effect effect = effects.effect(Scope.ALL, "cert-1", 30);

        assertThat(effect.uses()).isEqualTo(3);
        assertThat(effect.customers()).isEqualTo(3);
        assertThat(effect.dealsWithinWindow()).isEqualTo(1);
        assertThat(effect.decisionCycle().with()).isEqualTo(new TalkTrackEffectReadModel.Group(2, 15.0));
        assertThat(effect.decisionCycle().without()).isEqualTo(new TalkTrackEffectReadModel.Group(3, 30.0));
        assertThat(effect.decisionCycle().daysSaved()).isEqualTo(15.0);
        assertThat(effects.effect(Scope.ALL, "cert-1", 60).dealsWithinWindow()).isEqualTo(2);
        assertThat(effects.effects(Scope.ALL, 30)).extracting(TalkTrackEffectReadModel.Effect::scriptId).containsExactly("cert-1");
        assertThat(effects.effect(Scope.ALL, "never-used", 30).uses()).isZero();
    }

    private void registered(String c, String region, String owner) {
        projection.on(new CustomerRegistered(CustomerId.of(c), c, region, RepId.of(owner), "web", null, null, null,
                null, null, null), 0L, at(c, 0));
    }

    @Test
    void countsOnlyTheCustomersInTheScope_byRegistrationRegionAndOwnerNow() {
        registered("e-1", "east", "rep-a");
        registered("e-2", "east", "rep-b");
        registered("w-1", "west", "rep-a");
        for (String c : List.of("e-1", "e-2", "w-1")) {
            proposal(c, 1);
            used(c, "cert-1", 2, TalkTrackFeedback.USED);
            signed(c, 10);
        }
        projection.on(new CustomerReassigned(CustomerId.of("e-2"), RepId.of("rep-b"), RepId.of("rep-a"), "SUPERVISOR",
                null, null), 11L, at("e-2", 11));
        projection.on(new CustomerReleasedToPool(CustomerId.of("e-1"), RepId.of("rep-a"), T0, "P30D", "pool", 1, null),
                12L, at("e-1", 12));
        registered("e-2", "east", "rep-b"); // a replayed registration changes nothing

        assertThat(effects.effect(Scope.ALL, "cert-1", 30).uses()).isEqualTo(3);
        TalkTrackEffectReadModel.Effect east = effects.effect(Scope.region("east"), "cert-1", 30);
        assertThat(east.uses()).isEqualTo(2);
        assertThat(east.dealsWithinWindow()).isEqualTo(2);
        assertThat(east.decisionCycle().with().customers()).isEqualTo(2);
        TalkTrackEffectReadModel.Effect repA = effects.effect(Scope.owners(Set.of("rep-a")), "cert-1", 30);
        assertThat(repA.customers()).isEqualTo(2); // e-2 and w-1; e-1 is in the pool
        assertThat(repA.dealsWithinWindow()).isEqualTo(2);
        assertThat(effects.effect(Scope.owners(Set.of("rep-b")), "cert-1", 30).uses()).isZero();
        assertThat(effects.effects(Scope.owners(Set.of("rep-b")), 30)).isEmpty();
        assertThat(effects.effects(Scope.region("west"), 30)).singleElement()
                .satisfies(e -> assertThat(e.uses()).isEqualTo(1));
        assertThat(effects.effect(Scope.NOTHING, "cert-1", 30).decisionCycle().with().customers()).isZero();
    }
    /**
     * A processor's batch is written as one statement per table (ADR 0039): several events of one customer in one
     * batch (its owner changed twice, a back-dated proposal and contract) leave what they leave one at a time.
     */
    @Test
    void oneBatchWithSeveralEventsOfACustomerLeavesTheRowsThatOneEventAtATimeLeaves() {
        List<DomainEventMessage<CustomerAction>> batch = new ArrayList<>();
        batch.add(message(new CustomerRegistered(CustomerId.of("b-1"), "b-1", "east", RepId.of("rep-a"), "web", null,
                null, null, null, null, null), 0, 0));
        batch.add(message(new ProposalSent(CustomerId.of("b-1"), new Document("s3://p.pdf", Document.PDF),
                LocalDate.of(2026, 1, 1), List.of("a"), null, null), 1, 3));
        batch.add(message(new ProposalSent(CustomerId.of("b-1"), new Document("s3://q.pdf", Document.PDF),
                LocalDate.of(2026, 1, 1), List.of("a"), null, null), 2, 1)); // back-dated: the earliest counts
        batch.add(message(new CustomerReassigned(CustomerId.of("b-1"), RepId.of("rep-a"), RepId.of("rep-b"),
                "SUPERVISOR", null, null), 3, 4));
        batch.add(message(new TalkTrackFeedbackGiven(CustomerId.of("b-1"), "s-1", "cert-1", TalkTrackFeedback.USED,
                null), 4, 5));
        batch.add(message(new ContractSigned(CustomerId.of("b-1"), "K-1", new Money(BigDecimal.TEN, "CNY"), null,
                null, null), 5, 10));
        batch.add(message(new ContractSigned(CustomerId.of("b-1"), "K-2", new Money(BigDecimal.TEN, "CNY"), null,
                null, null), 6, 8));
        batch.add(message(new CustomerReassigned(CustomerId.of("b-1"), RepId.of("rep-b"), RepId.of("rep-c"),
                "SUPERVISOR", null, null), 7, 11));
        batch.add(message(new CustomerRegistered(CustomerId.of("b-2"), "b-2", "west", RepId.of("rep-a"), "web", null,
                null, null, null, null, null), 0, 0));
        batch.add(message(new CustomerReleasedToPool(CustomerId.of("b-2"), RepId.of("rep-a"), T0, "P30D", "pool", 1,
                null), 1, 2));

        inOneBatch(batch);
        inOneBatch(batch.subList(0, 1)); // a replayed registration changes nothing

        assertThat(db.fetch("select customer_id, region, owner_rep_id, last_seq from talktrack_customer "
                + "order by customer_id").map(r -> r.intoList().toString()))
                .containsExactly("[b-1, east, rep-c, 7]", "[b-2, west, null, 1]");
        assertThat(db.fetch("select customer_id, (first_proposal_at at time zone 'UTC')::text, "
                + "(first_contract_at at time zone 'UTC')::text from talktrack_cycle").map(r -> r.intoList().toString()))
                .containsExactly("[b-1, 2025-01-02 00:00:00, 2025-01-09 00:00:00]");
        assertThat(db.fetch("select (signed_at at time zone 'UTC')::text from talktrack_contract order by 1")
                .map(r -> r.get(0, String.class))).containsExactly("2025-01-09 00:00:00", "2025-01-11 00:00:00");
        assertThat(db.fetch("select script_id, (used_at at time zone 'UTC')::text from talktrack_use")
                .map(r -> r.intoList().toString())).containsExactly("[cert-1, 2025-01-06 00:00:00]");
    }

    private DomainEventMessage<CustomerAction> message(CustomerAction action, long sequence, int day) {
        return new GenericDomainEventMessage<>("Customer", action.customerId().value(), sequence, action,
                at(action.customerId().value(), day));
    }

    private void inOneBatch(List<DomainEventMessage<CustomerAction>> events) {
        BatchingUnitOfWork<DomainEventMessage<CustomerAction>> unitOfWork = new BatchingUnitOfWork<>(events);
        ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
            TalkTrackDelivery.deliver(projection, unitOfWork.getMessage());
            return null;
        });
        assertThat(result.isExceptional()).as("batch failed: %s",
                result.isExceptional() ? result.exceptionResult() : "").isFalse();
    }
}
