package org.salesledger.projections.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;
import org.salesledger.projections.testing.Migrated;

/** The timeline projection's handlers called directly, writing to a real PostgreSQL migrated by Flyway. */
class TimelineProjectionIT {

    @Migrated
    private static CloseableDSLContext db;
    private TimelineProjection projection;
    private TimelineReadModel timelines;

    @BeforeEach
    void setUp() {
        projection = new TimelineProjection(db, new TimelineTables().timelineTables());
        projection.reset();
        timelines = new TimelineQueries(db);
    }

    @Test
    void writesEachActionWithItsEnvelopeInStoredOrder() {
        handle(registered(), 0, "a-1", "2025-03-01T09:00:00+08:00");
        handle(contract(), 1, "a-2", "2025-03-05T10:00:00+08:00");

        TimelineReadModel.Timeline timeline = timelines.timeline(Scope.ALL, "c-1", null).orElseThrow();

        assertThat(timeline.events()).extracting(TimelineReadModel.Entry::id).containsExactly("a-1", "a-2");
        TimelineReadModel.Entry contract = timeline.events().get(1);
        assertThat(contract.type()).isEqualTo("ContractSigned");
        assertThat(contract.time()).isEqualTo("2025-03-05T10:00:00+08:00");
        assertThat(contract.actor()).isEqualTo("rep-07");
        assertThat(contract.source()).isEqualTo("/test");
        assertThat(contract.data().get("amount").get("value").decimalValue()).isEqualByComparingTo("1200.50");
        assertThat(contract.data().has("customerId")).isFalse();
    }

    @Test
    void aReplayedActionIsNotWrittenTwice() {
        handle(registered(), 0, "a-1", "2025-03-01T09:00:00+08:00");
        handle(registered(), 0, "a-1", "2025-03-01T09:00:00+08:00");

        assertThat(timelines.timeline(Scope.ALL, "c-1", null).orElseThrow().events()).hasSize(1);
    }

    @Test
    void aBatchIsWrittenWhenItsUnitOfWorkCommitsAndNotBefore() {
        DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage(registered()));
        projection.on(registered(), 0L, Instant.now(), metadata("a-1", "2025-03-01T09:00:00+08:00"));
        projection.on(contract(), 1L, Instant.now(), metadata("a-2", "2025-03-05T10:00:00+08:00"));

        assertThat(timelines.timeline(Scope.ALL, "c-1", null)).isEmpty();
        batch.commit();

        assertThat(timelines.timeline(Scope.ALL, "c-1", null).orElseThrow().events()).hasSize(2);
    }

    @Test
    void asOfKeepsOnlyWhatHadHappenedByThen() {
        handle(registered(), 0, "a-1", "2025-03-01T09:00:00+08:00");
        handle(contract(), 1, "a-2", "2025-03-05T10:00:00+08:00");

        assertThat(timelines.timeline(Scope.ALL, "c-1", OffsetDateTime.parse("2025-03-05T02:00:00Z")).orElseThrow().events())
                .extracting(TimelineReadModel.Entry::id).containsExactly("a-1", "a-2");
        assertThat(timelines.timeline(Scope.ALL, "c-1", OffsetDateTime.parse("2025-03-05T01:59:59Z")).orElseThrow().events())
                .extracting(TimelineReadModel.Entry::id).containsExactly("a-1");
    }

    @Test
    void pagesFollowOneAnotherThroughTheNextCursorUntilTheLast() {
        handle(registered(), 0, "a-1", "2025-03-01T09:00:00+08:00");
        handle(contract(), 1, "a-2", "2025-03-05T10:00:00+08:00");
        handle(contract(), 2, "a-3", "2025-03-06T10:00:00+08:00");

        TimelineReadModel.Timeline first = timelines.timeline(Scope.ALL, "c-1", null, new TimelineReadModel.Page(null, 2))
                .orElseThrow();
        TimelineReadModel.Timeline last = timelines.timeline(Scope.ALL, "c-1", null,
                new TimelineReadModel.Page(first.next(), 2)).orElseThrow();
        TimelineReadModel.Timeline exact = timelines.timeline(Scope.ALL, "c-1", null, new TimelineReadModel.Page(null, 3))
                .orElseThrow();

        assertThat(first.events()).extracting(TimelineReadModel.Entry::id).containsExactly("a-1", "a-2");
        assertThat(first.next()).isNotNull();
        assertThat(last.events()).extracting(TimelineReadModel.Entry::id).containsExactly("a-3");
        assertThat(last.next()).isNull();
        assertThat(exact.events()).hasSize(3);
        assertThat(exact.next()).isNull();
    }

    @Test
    void pagesKeepToAsOf() {
        handle(registered(), 0, "a-1", "2025-03-01T09:00:00+08:00");
        handle(contract(), 1, "a-2", "2025-03-05T10:00:00+08:00");
        handle(contract(), 2, "a-3", "2025-03-06T10:00:00+08:00");

        TimelineReadModel.Timeline page = timelines.timeline(Scope.ALL, "c-1", OffsetDateTime.parse("2025-03-05T12:00:00+08:00"),
                new TimelineReadModel.Page(null, 1)).orElseThrow();
        TimelineReadModel.Timeline rest = timelines.timeline(Scope.ALL, "c-1", OffsetDateTime.parse("2025-03-05T12:00:00+08:00"),
                new TimelineReadModel.Page(page.next(), 1)).orElseThrow();

        assertThat(page.events()).extracting(TimelineReadModel.Entry::id).containsExactly("a-1");
        assertThat(rest.events()).extracting(TimelineReadModel.Entry::id).containsExactly("a-2");
        assertThat(rest.next()).isNull();
    }

    @Test
    void aCustomerOutsideTheScopeHasNoTimeline_byRegistrationRegionAndOwnerNow() {
        handle(registered(), 0, "a-1", "2025-03-01T09:00:00+08:00");

        assertThat(timelines.timeline(Scope.region("east"), "c-1", null)).isPresent();
        assertThat(timelines.timeline(Scope.region("west"), "c-1", null)).isEmpty();
        assertThat(timelines.timeline(Scope.owners(Set.of("rep-07", "rep-09")), "c-1", null)).isPresent();
        assertThat(timelines.timeline(Scope.owners(Set.of("rep-08")), "c-1", null)).isEmpty();
        assertThat(timelines.timeline(Scope.NOTHING, "c-1", null)).isEmpty();

        handle(new CustomerReassigned(CustomerId.of("c-1"), RepId.of("rep-07"), RepId.of("rep-08"), "SUPERVISOR",
                null, Map.of()), 1, "a-2", "2025-03-02T09:00:00+08:00");
        assertThat(timelines.timeline(Scope.owners(Set.of("rep-07")), "c-1", null)).isEmpty();
        assertThat(timelines.timeline(Scope.owners(Set.of("rep-08")), "c-1", null).orElseThrow().events())
                .hasSize(2);
        handle(registered(), 0, "a-1", "2025-03-01T09:00:00+08:00"); // a replay changes nothing
        assertThat(timelines.timeline(Scope.owners(Set.of("rep-07")), "c-1", null)).isEmpty();

        handle(new CustomerReleasedToPool(CustomerId.of("c-1"), RepId.of("rep-08"), Instant.parse(
                "2025-03-02T01:00:00Z"), "P30D", "pool", 1, Map.of()), 2, "a-3", "2025-04-02T09:00:00+08:00");
        assertThat(timelines.timeline(Scope.owners(Set.of("rep-07", "rep-08")), "c-1", null)).isEmpty();
        assertThat(timelines.timeline(Scope.region("east"), "c-1", null)).isPresent();
    }

    @Test
    void eachEventCarriesWhoRecordedIt_noneWhenNotStored() {
        handle(registered(), 0, "a-1", "2025-03-01T09:00:00+08:00");
        projection.on(contract(), 1L, Instant.parse("2026-01-01T00:00:00Z"),
                metadata("a-2", "2025-03-05T10:00:00+08:00").and(ActionMetadata.RECORDED_BY, "sup-1"));

        assertThat(timelines.timeline(Scope.ALL, "c-1", null).orElseThrow().events())
                .extracting(TimelineReadModel.Entry::recordedBy).containsExactly(null, "sup-1");
    }

    @Test
    void recordedAtIsTheStoredInstantInUtcAsTheAuditLeafWritesIt() {
        // Axon keeps the time in milliseconds; the audit leaf writes it as ISO_INSTANT (contract §9)
        projection.on(registered(), 0L, Instant.parse("2026-01-01T00:00:00.120Z"),
                metadata("a-1", "2025-03-01T09:00:00+08:00"));
        projection.on(contract(), 1L, Instant.parse("2026-01-01T00:00:01Z"),
                metadata("a-2", "2025-03-05T10:00:00+08:00"));
        projection.on(contract(), 2L, Instant.parse("2026-01-01T00:00:02.007Z"),
                metadata("a-3", "2025-03-05T10:00:00+08:00"));

        assertThat(timelines.timeline(Scope.ALL, "c-1", null).orElseThrow().events())
                .extracting(TimelineReadModel.Entry::recordedAt)
                .containsExactly("2026-01-01T00:00:00.120Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:02.007Z");
    }

    @Test
    void anUnknownCustomerHasNoTimeline() {
        assertThat(timelines.timeline(Scope.ALL, "nobody", null)).isEmpty();
    }

    @Test
    void resetEmptiesTheReadModelForARebuild() {
        handle(registered(), 0, "a-1", "2025-03-01T09:00:00+08:00");

        projection.reset();

        assertThat(timelines.timeline(Scope.ALL, "c-1", null)).isEmpty();
    }

    private void handle(CustomerAction action, long sequence, String id, String time) {
        projection.on(action, sequence, Instant.parse("2026-01-01T00:00:00Z"), metadata(id, time));
    }

    private static MetaData metadata(String id, String time) {
        return MetaData.from(Map.of(ActionMetadata.ACTION_ID, id, ActionMetadata.SOURCE, "/test",
                ActionMetadata.ACTOR, "rep-07", ActionMetadata.OCCURRED_AT, time));
    }

    private static CustomerRegistered registered() {
        return new CustomerRegistered(CustomerId.of("c-1"), "Acme", "east", RepId.of("rep-07"), "web", null, null,
                null, null, null, Map.of());
    }

    private static ContractSigned contract() {
        return new ContractSigned(CustomerId.of("c-1"), "K-1", new Money(new BigDecimal("1200.50"), "CNY"),
                List.of(), null, Map.of());
    }
}
