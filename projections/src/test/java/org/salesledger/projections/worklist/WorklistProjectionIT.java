package org.salesledger.projections.worklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.projections.jooq.Tables.WORKLIST_CUSTOMER;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.pool.PoolReleaseReminded;
import org.salesledger.kernel.rules.CollectionDue;
import org.salesledger.kernel.rules.CustomerClassified;
import org.salesledger.kernel.rules.EscalationRaised;
import org.salesledger.kernel.rules.FollowUpDue;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.talktrack.TalkTracksSuggested;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;
import org.salesledger.projections.testing.Migrated;
import org.salesledger.projections.testing.ReadModelDatabase;
import org.salesledger.testing.TestPostgres;

/** The work lists built by their projection on a real PostgreSQL: items open until the awaited action arrives. */
class WorklistProjectionIT {

    private static final Instant T0 = Instant.parse("2025-05-01T00:00:00Z");
    @Migrated
    private static CloseableDSLContext db;
    private WorklistProjection projection;
    private WorklistReadModel lists;
    private final Map<String, Long> sequences = new HashMap<>();
    private int ids;

    @BeforeEach
    void setUp() {
        projection = new WorklistProjection(db, new WorklistTables().worklistTables());
        projection.reset();
        lists = new WorklistQueries(db);
        sequences.clear();
    }

    private String act(CustomerAction action, int hours, String actor) {
        String id = "a-" + (++ids);
        long seq = sequences.merge(action.customerId().value(), 1L, Long::sum) - 1;
        projection.on(action, seq, MetaData.with(ActionMetadata.OCCURRED_AT, T0.plusSeconds(hours * 3600L).toString())
                .and(ActionMetadata.ACTION_ID, id).and(ActionMetadata.ACTOR, actor));
        return id;
    }

    /** The action as the store holds it, for a processor batch. */
    private EventMessage<?> stored(CustomerAction action, int hours, String actor) {
        long seq = sequences.merge(action.customerId().value(), 1L, Long::sum) - 1;
        return new GenericDomainEventMessage<>("Customer", action.customerId().value(), seq, action,
                MetaData.with(ActionMetadata.OCCURRED_AT, T0.plusSeconds(hours * 3600L).toString())
                        .and(ActionMetadata.ACTION_ID, "a-" + (++ids)).and(ActionMetadata.ACTOR, actor));
    }

    /** The events through the projection as one batch of its processor: one unit of work, one commit. */
    private void inOneBatch(List<EventMessage<?>> events) {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(events);
        ResultMessage<?> result = batch.executeWithResult(() -> {
            DomainEventMessage<?> event = (DomainEventMessage<?>) batch.getMessage();
            projection.on((CustomerAction) event.getPayload(), event.getSequenceNumber(), event.getMetaData());
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
        assertThat(result.isExceptional()).as("%s", result.optionalExceptionResult()).isFalse();
    }

    private void register(String c, String region) {
        act(new CustomerRegistered(CustomerId.of(c), c.toUpperCase(), region, RepId.of("rep-1"), "web", null, null,
                null, null, null, null), 0, "rep-1");
    }

    private static CustomerId id(String c) {
        return CustomerId.of(c);
    }

    @Test
    void anEscalationStaysOpenUntilOneOfItsClearingActionsOrTheCustomerLeavesTheStage() {
        for (String c : List.of("e-1", "e-2", "e-3")) {
            register(c, "east");
            act(new ProposalSent(id(c), new Document("s3://p.pdf", Document.PDF), LocalDate.of(2025, 6, 1),
                    List.of("a", "b", "c"), null, null), 1, "rep-1");
            act(new EscalationRaised(id(c), "PROPOSAL_SENT", T0, "PT72H", "regional-director", RepId.of("rep-1"),
                    List.of("CustomerActionObserved"), "no-reply", 1, null), 73, "system");
        }
        act(new TouchpointRecorded(id("e-1"), "wechat", null, null, null), 74, "rep-1");
        act(new CustomerActionObserved(id("e-2"), "MESSAGE_READ", "a-1", null), 75, "rep-1");
        act(new ContractSigned(id("e-3"), "K-1", new Money(BigDecimal.TEN, "CNY"), null, null, null), 76, "rep-1");

        List<WorklistReadModel.Escalation> open = lists.escalations(Scope.ALL, null, "regional-director", 100);

        assertThat(open).extracting(e -> e.customer().customerId()).containsExactly("e-1");
        assertThat(open.get(0).customer().lastActionType()).isEqualTo("TouchpointRecorded");
        assertThat(open.get(0).unless()).containsExactly("CustomerActionObserved");
        assertThat(lists.escalations(Scope.ALL, null, "ceo", 100)).isEmpty();
        assertThat(openItems("e-1", "e-2", "e-3")).containsExactly(1, 0, 0);
    }

    @Test
    void aRepsTodoHasFollowUpsCollectionsReleaseRemindersAndSuggestionsUntilAnswered() {
        register("t-1", "east");
        act(new FollowUpDue(id("t-1"), RepId.of("rep-1"), "supervisor", T0, "P7D", "idle", 1, null), 168, "system");
        act(new ContractSigned(id("t-1"), "K-1", new Money(BigDecimal.TEN, "CNY"), null, null, null), 169, "rep-1");
        act(new ContractSigned(id("t-1"), "K-2", new Money(BigDecimal.ONE, "CNY"), null, null, null), 169, "rep-1");
        act(new CollectionDue(id("t-1"), "K-1", new Money(BigDecimal.TEN, "CNY"), T0, "P7D", RepId.of("rep-1"),
                "collect", 1, null), 340, "system");
        act(new CollectionDue(id("t-1"), "K-2", new Money(BigDecimal.ONE, "CNY"), T0, "P7D", RepId.of("rep-1"),
                "collect", 1, null), 340, "system");
        act(new PoolReleaseReminded(id("t-1"), RepId.of("rep-1"), T0.plusSeconds(400 * 3600), T0, "P3D", "pool", 1,
                null), 341, "system");
        act(new TalkTracksSuggested(id("t-1"), "s-1", "v-1", List.of("cert-1"), "tt", 1, null), 342, "system");
        act(new TalkTracksSuggested(id("t-1"), "s-2", "v-2", List.of("cert-1"), "tt", 1, null), 343, "system");

        assertThat(lists.todo(Scope.ALL, "rep-1", 100)).extracting(WorklistReadModel.Todo::kind)
                .containsExactly("COLLECTION", "COLLECTION", "POOL_RELEASE", "TALK_TRACK");
        assertThat(lists.todo(Scope.ALL, "supervisor", 100)).isEmpty(); // the follow-up was answered by the contract
        act(new PaymentReceived(id("t-1"), "K-1", new Money(BigDecimal.TEN, "CNY"), null), 344, "finance-1");
        act(new TalkTrackFeedbackGiven(id("t-1"), "s-2", "cert-1", TalkTrackFeedback.USED, null), 345, "rep-9");

        List<WorklistReadModel.Todo> todo = lists.todo(Scope.ALL, "rep-1", 100);
        assertThat(todo).extracting(WorklistReadModel.Todo::kind).containsExactly("COLLECTION", "POOL_RELEASE");
        assertThat(todo.get(0).details().get("contractId").asText()).isEqualTo("K-2");
        assertThat(openItems("t-1")).containsExactly(2);
        act(new NeedsConfirmed(id("t-1"), List.of("CT"), null), 346, "rep-1");
        assertThat(lists.todo(Scope.ALL, "rep-1", 100)).extracting(WorklistReadModel.Todo::kind).containsExactly("COLLECTION");
        assertThat(openItems("t-1")).containsExactly(1);
        act(new PaymentReceived(id("t-1"), "K-2", new Money(BigDecimal.ONE, "CNY"), null), 347, "finance-1");
        assertThat(lists.todo(Scope.ALL, "rep-1", 100)).isEmpty();
        assertThat(openItems("t-1")).containsExactly(0);
    }

    /** The customers' count of open escalations and to-dos, which spares the projection looking for none. */
    private static List<Integer> openItems(String... customers) {
        return List.of(customers).stream().map(c -> db.select(WORKLIST_CUSTOMER.OPEN_ITEMS).from(WORKLIST_CUSTOMER)
                .where(WORKLIST_CUSTOMER.CUSTOMER_ID.eq(c)).fetchOne(WORKLIST_CUSTOMER.OPEN_ITEMS)).toList();
    }

    @Test
    void theFollowUpIsCopiedToTheSupervisor() {
        register("f-1", "east");
        act(new FollowUpDue(id("f-1"), RepId.of("rep-1"), "supervisor-9", T0, "P7D", "idle", 1, null), 168, "system");

        assertThat(lists.todo(Scope.ALL, "rep-1", 100)).singleElement().satisfies(t -> assertThat(t.copy()).isFalse());
        assertThat(lists.todo(Scope.ALL, "supervisor-9", 100)).singleElement().satisfies(t -> assertThat(t.copy()).isTrue());
    }

    @Test
    void thePoolListsReleasedCustomersOldestFirstByRegionAndClass_untilClaimed() {
        for (String c : List.of("p-1", "p-2", "p-3")) {
            register(c, c.equals("p-3") ? "west" : "east");
        }
        act(new CustomerClassified(id("p-2"), "A", null, "classes", 1, null), 1, "system");
        act(new CustomerReleasedToPool(id("p-2"), RepId.of("rep-1"), T0, "P30D", "pool", 1, null), 720, "system");
        act(new CustomerReleasedToPool(id("p-1"), RepId.of("rep-1"), T0, "P30D", "pool", 1, null), 721, "system");
        act(new CustomerReleasedToPool(id("p-3"), RepId.of("rep-1"), T0, "P30D", "pool", 1, null), 722, "system");
        act(new CustomerReassigned(id("p-1"), RepId.of("rep-1"), RepId.of("rep-2"), "POOL_CLAIM", null, null), 723,
                "rep-2");

        assertThat(lists.pool(Scope.ALL, null, null, 100)).extracting(WorklistReadModel.PoolEntry::customerId)
                .containsExactly("p-2", "p-3");
        assertThat(lists.pool(Scope.ALL, "east", null, 100)).extracting(WorklistReadModel.PoolEntry::customerId)
                .containsExactly("p-2");
        assertThat(lists.pool(Scope.ALL, null, "A", 100)).singleElement()
                .satisfies(p -> assertThat(p.previousOwnerRepId()).isEqualTo("rep-1"));
    }

    @Test
    void theListsCountOnlyTheCustomersInTheScope_byRegistrationRegionAndOwnerNow() {
        for (String c : List.of("s-1", "s-2", "s-3")) {
            register(c, c.equals("s-3") ? "west" : "east");
            act(new EscalationRaised(id(c), "FIRST_CONTACT", T0, "PT72H", "regional-director", RepId.of("rep-1"),
                    List.of("VisitLogged"), "no-visit", 1, null), 73, "system");
        }
        // s-2 goes to rep-2; s-1 is released to the pool (no owner), s-3 stays rep-1's
        act(new CustomerReassigned(id("s-2"), RepId.of("rep-1"), RepId.of("rep-2"), "SUPERVISOR", null, null), 80,
                "sup-1");
        act(new CustomerReleasedToPool(id("s-1"), RepId.of("rep-1"), T0, "P30D", "pool", 1, null), 720, "system");

        assertThat(lists.escalations(Scope.region("east"), null, null, 100)).extracting(e -> e.customer().customerId())
                .containsExactlyInAnyOrder("s-1", "s-2");
        assertThat(lists.escalations(Scope.owners(Set.of("rep-1")), null, null, 100))
                .extracting(e -> e.customer().customerId()).containsExactly("s-3");
        assertThat(lists.escalations(Scope.owners(Set.of("rep-2")), null, null, 100))
                .extracting(e -> e.customer().customerId()).containsExactly("s-2");
        assertThat(lists.escalations(Scope.NOTHING, null, null, 100)).isEmpty();
        // those addressed to the caller, whatever their customer
        assertThat(lists.escalations(Scope.NOTHING, "regional-director", null, 100)).hasSize(3);
        assertThat(lists.escalations(Scope.owners(Set.of("rep-2")), "ceo", null, 100)).hasSize(1);
        assertThat(lists.escalations(Scope.ALL, "ceo", null, 100)).hasSize(3);

        assertThat(lists.pool(Scope.region("east"), null, null, 100)).extracting(WorklistReadModel.PoolEntry::customerId)
                .containsExactly("s-1");
        assertThat(lists.pool(Scope.region("west"), null, null, 100)).isEmpty();
        assertThat(lists.pool(Scope.owners(Set.of("rep-1")), null, null, 100)).isEmpty();
    }

    @Test
    void aProcessorBatchGivesTheListsItsEventsGiveOneByOne_andChangesNothingWhenDeliveredAgain() {
        List<EventMessage<?>> events = new ArrayList<>();
        for (String c : List.of("b-1", "b-2")) {
            events.add(stored(new CustomerRegistered(CustomerId.of(c), c.toUpperCase(), "east", RepId.of("rep-1"),
                    "web", null, null, null, null, null, null), 0, "rep-1"));
        }
        events.add(stored(new ProposalSent(id("b-1"), new Document("s3://p.pdf", Document.PDF),
                LocalDate.of(2025, 6, 1), List.of("a"), null, null), 1, "rep-1"));
        events.add(stored(new EscalationRaised(id("b-1"), "PROPOSAL_SENT", T0, "PT72H", "regional-director",
                RepId.of("rep-1"), List.of("CustomerActionObserved"), "no-reply", 1, null), 73, "system"));
        events.add(stored(new FollowUpDue(id("b-2"), RepId.of("rep-1"), null, T0, "P7D", "idle", 1, null), 168,
                "system"));
        events.add(stored(new TouchpointRecorded(id("b-1"), "wechat", null, null, null), 74, "rep-1"));
        events.add(stored(new CustomerClassified(id("b-2"), "A", null, "classes", 1, null), 169, "system"));
        events.add(stored(new TouchpointRecorded(id("b-2"), "visit", null, null, null), 170, "rep-1"));

        inOneBatch(events);

        List<WorklistReadModel.Escalation> open = lists.escalations(Scope.ALL, null, "regional-director", 100);
        assertThat(open).extracting(e -> e.customer().customerId()).containsExactly("b-1");
        assertThat(open.get(0).customer().lastActionType()).isEqualTo("TouchpointRecorded");
        assertThat(lists.todo(Scope.ALL, "rep-1", 100)).isEmpty(); // b-2's follow-up answered by the visit
        assertThat(openItems("b-1", "b-2")).containsExactly(1, 0);
        assertThat(db.select(WORKLIST_CUSTOMER.CUSTOMER_CLASS, WORKLIST_CUSTOMER.STAGE, WORKLIST_CUSTOMER.LAST_SEQ)
                .from(WORKLIST_CUSTOMER).where(WORKLIST_CUSTOMER.CUSTOMER_ID.eq("b-2")).fetchOne().intoList())
                .containsExactly("A", "FIRST_CONTACT", 3L);

        inOneBatch(events);
        assertThat(lists.escalations(Scope.ALL, null, "regional-director", 100)).hasSize(1);
        assertThat(openItems("b-1", "b-2")).containsExactly(1, 0);
    }

    @Test
    void upgradingWorkListsBuiltBeforeTheOpenItemCountCountsThem() {
        TestPostgres.TestDatabase older = ReadModelDatabase.migratedTo("31");
        try (CloseableDSLContext before = DSL.using(older.jdbcUrl(), older.user(), older.password())) {
            for (String c : List.of("u-1", "u-2", "u-3")) {
                before.execute("insert into worklist_customer (customer_id, name, region, stage, last_action_at, "
                        + "last_action_type, last_action_id, last_seq) values (?, ?, 'east', 'FIRST_CONTACT', now(), "
                        + "'CustomerRegistered', ?, 0)", c, c, "reg-" + c);
            }
            before.execute("insert into worklist_escalation (action_id, customer_id, seq, escalated_to, stage, since, "
                    + "raised_at, after, unless_types, rule_id, rule_version, closed_at) values "
                    + "('e-1', 'u-1', 1, 'boss', 'FIRST_CONTACT', now(), now(), 'PT1H', ',', 'r', 1, null), "
                    + "('e-2', 'u-2', 1, 'boss', 'FIRST_CONTACT', now(), now(), 'PT1H', ',', 'r', 1, now())");
            before.execute("insert into worklist_todo (action_id, customer_id, seq, kind, due_at, rule_id, details, "
                    + "closed_at) values ('t-1', 'u-1', 2, 'FOLLOW_UP', now(), 'r', '{}', null), "
                    + "('t-2', 'u-3', 1, 'FOLLOW_UP', now(), 'r', '{}', null), "
                    + "('t-3', 'u-3', 2, 'COLLECTION', now(), 'r', '{}', null), "
                    + "('t-4', 'u-3', 3, 'TALK_TRACK', now(), 'r', '{}', now())");
        }

        try (CloseableDSLContext upgraded = ReadModelDatabase.migrate(older, null)) {
            assertThat(upgraded.select(WORKLIST_CUSTOMER.CUSTOMER_ID, WORKLIST_CUSTOMER.OPEN_ITEMS)
                    .from(WORKLIST_CUSTOMER).orderBy(WORKLIST_CUSTOMER.CUSTOMER_ID)
                    .fetch(r -> r.value1() + "=" + r.value2())).containsExactly("u-1=2", "u-2=0", "u-3=2");
        }
    }

    @Test
    void aRepeatedEventChangesNothing() {
        register("r-1", "east");
        act(new FollowUpDue(id("r-1"), RepId.of("rep-1"), null, T0, "P7D", "idle", 1, null), 168, "system");
        projection.on(new FollowUpDue(id("r-1"), RepId.of("rep-1"), null, T0, "P7D", "idle", 1, null), 1L,
                MetaData.with(ActionMetadata.OCCURRED_AT, T0.toString()).and(ActionMetadata.ACTION_ID, "other"));

        assertThat(lists.todo(Scope.ALL, "rep-1", 100)).hasSize(1);
    }
}
