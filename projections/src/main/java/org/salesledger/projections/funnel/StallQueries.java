package org.salesledger.projections.funnel;

import static org.salesledger.projections.jooq.Tables.FUNNEL_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.FUNNEL_STAGE_STAY;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.projections.jooq.tables.records.FunnelCustomerRecord;
import org.springframework.stereotype.Repository;

@Repository
class StallQueries implements StallReadModel {

    private final DSLContext db;
    private final StallThresholds thresholds;

    StallQueries(DSLContext db, StallThresholds thresholds) {
        this.db = db;
        this.thresholds = thresholds;
    }

    @Override
    public List<StalledCustomer> stalled(Scope scope, FunnelReadModel.Filter filter, Stage stage, Duration olderThan,
                                         boolean businessDays, boolean includeSnoozed, Instant now, int limit) {
        List<Stage> stages = stage == null ? StallThresholds.OPEN : List.of(stage);
        Condition overdue = DSL.falseCondition();
        for (Stage s : stages) {
            Duration threshold = olderThan != null ? olderThan : thresholds.of(s);
            overdue = overdue.or(FUNNEL_CUSTOMER.STAGE.eq(s.name())
                    .and(FUNNEL_CUSTOMER.STAGE_ENTERED_AT.le(now.minus(threshold).atOffset(ZoneOffset.UTC))));
        }
        List<StalledCustomer> stalled = new ArrayList<>();
        // calendar time bounds business time from above: the query finds every candidate, oldest first
        try (Stream<FunnelCustomerRecord> candidates = db.selectFrom(FUNNEL_CUSTOMER)
                .where(FunnelQueries.where(scope, filter).and(overdue).and(awake(includeSnoozed, now)))
                .orderBy(FUNNEL_CUSTOMER.STAGE_ENTERED_AT, FUNNEL_CUSTOMER.CUSTOMER_ID)
                .fetchSize(500)
                .stream()) {
            var it = candidates.iterator();
            while (it.hasNext() && stalled.size() < limit) {
                FunnelCustomerRecord c = it.next();
                Stage s = Stage.valueOf(c.getStage());
                Instant entered = c.getStageEnteredAt().toInstant();
                Duration waiting = businessDays ? BusinessTime.between(entered, now) : Duration.between(entered, now);
                Duration threshold = olderThan != null ? olderThan : thresholds.of(s);
                if (waiting.compareTo(threshold) >= 0) {
                    stalled.add(listed(c, waiting, now));
                }
            }
        }
        return stalled;
    }

    @Override
    public List<StalledCustomer> idle(Scope scope, FunnelReadModel.Filter filter, int days, boolean includeClosed,
                                      boolean includeSnoozed, Instant now, int limit) {
        Condition open = includeClosed ? DSL.noCondition()
                : FUNNEL_CUSTOMER.STAGE.notIn(Stage.CONTRACT_SIGNED.name(), Stage.LOST.name());
        return db.selectFrom(FUNNEL_CUSTOMER)
                .where(FunnelQueries.where(scope, filter).and(open).and(awake(includeSnoozed, now))
                        .and(FUNNEL_CUSTOMER.LAST_ACTION_AT.le(now.minus(Duration.ofDays(days)).atOffset(ZoneOffset.UTC))))
                .orderBy(FUNNEL_CUSTOMER.LAST_ACTION_AT, FUNNEL_CUSTOMER.CUSTOMER_ID)
                .limit(limit)
                .fetch(c -> listed(c, Duration.between(c.getLastActionAt().toInstant(), now), now));
    }

    @Override
    public Optional<List<StageStay>> stages(Scope scope, String customerId, Instant now) {
        if (!db.fetchExists(FUNNEL_CUSTOMER, FunnelQueries.where(scope, FunnelReadModel.Filter.ALL)
                .and(FUNNEL_CUSTOMER.CUSTOMER_ID.eq(customerId)))) {
            return Optional.empty();
        }
        List<StageStay> stays = db.selectFrom(FUNNEL_STAGE_STAY)
                .where(FUNNEL_STAGE_STAY.CUSTOMER_ID.eq(customerId))
                .fetch(s -> {
                    OffsetDateTime end = s.getExitedAt() != null ? s.getExitedAt() : now.atOffset(ZoneOffset.UTC);
                    Duration spent = Duration.between(s.getEnteredAt(), end);
                    return new StageStay(Stage.valueOf(s.getStage()), s.getEnteredAt(), s.getExitedAt(),
                            spent.isNegative() ? Duration.ZERO : spent);
                });
        stays.sort(Comparator.comparing(StageStay::enteredAt).thenComparing(StageStay::stage));
        return Optional.of(stays);
    }

    /** Customers not snoozed as of {@code now}: no snooze, or one until today or earlier (UTC). */
    private static Condition awake(boolean includeSnoozed, Instant now) {
        return includeSnoozed ? DSL.noCondition()
                : FUNNEL_CUSTOMER.SNOOZED_UNTIL.isNull().or(FUNNEL_CUSTOMER.SNOOZED_UNTIL.le(today(now)));
    }

    private static LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    private static StalledCustomer listed(FunnelCustomerRecord c, Duration waiting, Instant now) {
        boolean snoozed = c.getSnoozedUntil() != null && c.getSnoozedUntil().isAfter(today(now));
        return new StalledCustomer(c.getCustomerId(), c.getName(), c.getOwnerRepId(), c.getRegion(),
                Stage.valueOf(c.getStage()), c.getStageEnteredAt(), c.getLastActionAt(), c.getLastActionType(),
                waiting, snoozed ? c.getSnoozedUntil() : null, snoozed ? c.getSnoozeReason() : null);
    }
}
