package org.salesledger.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.access.Scope;

/** Contract §7: for each call the widest scope among the caller's roles that allow it. */
class CallerTest {

    @Test
    void aRepSeesItsOwnCustomersAndThePoolOfItsRegion() {
        Caller rep = new Caller("rep-1", Set.of(Role.REP), "t", "east", Set.of());

        assertThat(rep.scopeFor(Permission.CUSTOMERS_READ)).isEqualTo(new Scope.Owners(Set.of("rep-1")));
        assertThat(rep.scopeFor(Permission.POOL_READ)).isEqualTo(new Scope.Region("east"));
        assertThat(rep.scopeFor(Permission.MARKETING_READ)).isEqualTo(Scope.NOTHING);
        assertThat(rep.has(Permission.RULES_WRITE)).isFalse();
        assertThat(rep.mayActForOthers()).isFalse();
    }

    @Test
    void aSupervisorSeesItsOwnAndItsRepsCustomers() {
        Caller supervisor = new Caller("sup-1", Set.of(Role.SUPERVISOR), null, "east", Set.of("rep-1", "rep-3"));

        assertThat(supervisor.scopeFor(Permission.CUSTOMERS_READ))
                .isEqualTo(new Scope.Owners(Set.of("sup-1", "rep-1", "rep-3")));
        assertThat(supervisor.has(Permission.CUSTOMERS_REASSIGN)).isTrue();
    }

    @Test
    void theWidestRoleThatAllowsTheCallWins_andOnlyForTheCallsItAllows() {
        Caller both = new Caller("ana-rep", Set.of(Role.REP, Role.ANALYST), null, "east", Set.of());

        assertThat(both.scopeFor(Permission.AGGREGATES_READ)).isEqualTo(Scope.ALL);
        // the analyst reads no single customer: the timeline stays the rep's own customers
        assertThat(both.scopeFor(Permission.CUSTOMERS_READ)).isEqualTo(new Scope.Owners(Set.of("ana-rep")));
        Caller directorAndRep = new Caller("d", Set.of(Role.REP, Role.DIRECTOR), null, "west", Set.of());
        assertThat(directorAndRep.scopeFor(Permission.CUSTOMERS_READ)).isEqualTo(new Scope.Region("west"));
    }

    @Test
    void aDirectorWithoutARegionSeesNoCustomer_andAdminsAndIntegratorsActForOthers() {
        Caller director = new Caller("d", Set.of(Role.DIRECTOR), null, null, Set.of());

        assertThat(director.scopeFor(Permission.CUSTOMERS_READ)).isEqualTo(Scope.NOTHING);
        assertThat(Scope.NOTHING.covers("east", "rep-1")).isFalse();
        assertThat(new Caller("a", Set.of(Role.ADMIN), null, null, Set.of()).mayActForOthers()).isTrue();
        assertThat(new Caller("i", Set.of(Role.INTEGRATOR), null, null, Set.of()).mayActForOthers()).isTrue();
        assertThat(new Caller("i", Set.of(Role.INTEGRATOR), null, null, Set.of()).has(Permission.CUSTOMERS_READ))
                .isFalse();
    }

    @Test
    void aPoolCustomerHasNoOwnerAndIsInNoOwnersScope() {
        assertThat(new Scope.Owners(Set.of("rep-1")).covers("east", null)).isFalse();
        assertThat(new Scope.Region("east").covers("east", null)).isTrue();
    }
}
