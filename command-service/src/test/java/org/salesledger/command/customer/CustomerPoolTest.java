package org.salesledger.command.customer;

import static org.salesledger.command.testdata.Actions.id;
import static org.salesledger.command.testdata.Actions.registered;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.value.RepId;

/** How the Customer decides claims from the public pool and reassignments: one winner, and the pool's rules. */
class CustomerPoolTest {

    private static final String C = "c-1";
    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final Instant RELEASED = T0.plus(Duration.ofDays(30));
    private static final LocalDate DAY = LocalDate.of(2025, 4, 1);

    private AggregateTestFixture<Customer> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Customer.class);
    }

    private static EventMessage<?> at(CustomerAction action, Instant time, String actor) {
        return GenericEventMessage.asEventMessage(action).withMetaData(MetaData.with(ActionMetadata.OCCURRED_AT,
                time.toString()).and(ActionMetadata.ACTOR, actor));
    }

    private static EventMessage<?>[] inPool() {
        return new EventMessage<?>[]{at(registered(C), T0, "rep-07"),
                at(new CustomerReleasedToPool(id(C), RepId.of("rep-07"), T0, "P30D", "pool", 1, null), RELEASED,
                        "system")};
    }

    private static ClaimFromPool claim(String rep, Instant at, Duration lockout, Integer dailyLimit, int today,
                                       Integer cap, int owned) {
        return new ClaimFromPool(C, "claim-1", rep, at, lockout, dailyLimit, today, DAY, ZoneOffset.UTC, cap, owned);
    }

    @Test
    void canClaimACustomerFromThePool() {
        Instant now = RELEASED.plusSeconds(60);
        fixture.given(inPool())
                .when(claim("rep-09", now, null, null, 0, null, 0))
                .expectEvents(GenericEventMessage.asEventMessage(new CustomerReassigned(id(C), RepId.of("rep-07"),
                        RepId.of("rep-09"), "POOL_CLAIM", null, null)).withMetaData(Map.of(
                        ActionMetadata.ACTION_ID, "claim-1", ActionMetadata.SOURCE, "/pool",
                        ActionMetadata.ACTOR, "rep-09", ActionMetadata.OCCURRED_AT, now.toString())))
                .expectResultMessagePayload(new PoolDecision(PoolDecision.Status.CLAIMED, "rep-07", "rep-09", null,
                        null));
    }

    @Test
    void cannotClaimACustomerThatIsNotInThePool_soOfTwoClaimsOnlyTheFirstWins() {
        fixture.given(inPool())
                .andGiven(at(new CustomerReassigned(id(C), RepId.of("rep-07"), RepId.of("rep-09"), "POOL_CLAIM", null,
                        null), RELEASED.plusSeconds(1), "rep-09"))
                .when(claim("rep-10", RELEASED.plusSeconds(1), null, null, 0, null, 0))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.predicate(
                        d -> ((PoolDecision) d).status() == PoolDecision.Status.NOT_IN_POOL));
    }

    @Test
    void cannotReclaimDuringTheLockout_butCanAfterIt() {
        Duration lockout = Duration.ofDays(7);
        fixture.given(inPool())
                .when(claim("rep-07", RELEASED.plus(Duration.ofDays(6)), lockout, null, 0, null, 0))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.predicate(
                        d -> ((PoolDecision) d).status() == PoolDecision.Status.LOCKED_OUT));
        fixture.given(inPool())
                .when(claim("rep-07", RELEASED.plus(Duration.ofDays(7)), lockout, null, 0, null, 0))
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.predicate(
                        d -> ((PoolDecision) d).status() == PoolDecision.Status.CLAIMED));
    }

    @Test
    void cannotClaimOverTheDailyLimitOrTheCap() {
        fixture.given(inPool())
                .when(claim("rep-09", RELEASED, null, 3, 3, null, 0))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.predicate(
                        d -> ((PoolDecision) d).status() == PoolDecision.Status.DAILY_LIMIT
                                && ((PoolDecision) d).reason().contains("2025-04-01")));
        fixture.given(inPool())
                .when(claim("rep-09", RELEASED, null, 3, 2, 50, 50))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.predicate(
                        d -> ((PoolDecision) d).status() == PoolDecision.Status.CAP));
    }

    @Test
    void aSupervisorReassignsACustomer_andCannotReassignItToItsOwner() {
        Instant now = T0.plusSeconds(60);
        fixture.given(at(registered(C), T0, "rep-07"))
                .when(new ReassignCustomer(C, "r-1", "rep-08", "holiday", "supervisor-1", now))
                .expectEvents(new CustomerReassigned(id(C), RepId.of("rep-07"), RepId.of("rep-08"), "SUPERVISOR",
                        "holiday", null));
        fixture.given(at(registered(C), T0, "rep-07"))
                .when(new ReassignCustomer(C, "r-1", "rep-07", null, "supervisor-1", now))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(org.axonframework.test.matchers.Matchers.predicate(
                        d -> ((PoolDecision) d).status() == PoolDecision.Status.UNCHANGED));
    }

    @Test
    void aClaimedCustomerIsProtectedAgainFromTheClaim() {
        TimeRule pool = new TimeRule("pool", 1, TimeRule.Kind.POOL, null, Duration.ofDays(30), null, null, null,
                null, null, true);
        Instant claimed = RELEASED.plusSeconds(60);
        fixture.given(inPool())
                .andGiven(at(new CustomerReassigned(id(C), RepId.of("rep-07"), RepId.of("rep-09"), "POOL_CLAIM", null,
                        null), claimed, "rep-09"))
                .when(new PlanTimers(C, List.of(pool)))
                .expectResultMessagePayload(claimed.plus(Duration.ofDays(30)));
    }
}
