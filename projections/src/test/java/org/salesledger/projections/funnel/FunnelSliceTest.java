package org.salesledger.projections.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.access.Scope;
import org.salesledger.projections.funnel.FunnelQueries.Slice;
import org.salesledger.projections.funnel.FunnelReadModel.Dimension;
import org.salesledger.projections.funnel.FunnelReadModel.Filter;

/** Which funnels the tallies answer once a scope is part of the question (docs/adr/0015, contract §7). */
class FunnelSliceTest {

    private static final Scope REP = Scope.owners(Set.of("rep-1"));
    private static final Scope TEAM = Scope.owners(Set.of("rep-1", "rep-2"));
    private static final Scope EAST = Scope.region("east");

    @Test
    void everyCustomersFunnelsAreReadFromTheTalliesAsBefore() {
        assertThat(slice(Scope.ALL, Filter.ALL, null)).isEqualTo(new Slice(List.of("all"), null));
        assertThat(slice(Scope.ALL, filter("west", null, null), Dimension.REGION))
                .isEqualTo(new Slice(List.of("region"), Set.of("west")));
        assertThat(slice(Scope.ALL, Filter.ALL, Dimension.TEAM))
                .isEqualTo(new Slice(List.of("team", "team_none"), null));
        assertThat(slice(Scope.ALL, filter("west", null, "web"), null)).isNull();
    }

    @Test
    void aRepsFunnelIsItsRepCells() {
        assertThat(slice(REP, Filter.ALL, null)).isEqualTo(new Slice(List.of("rep"), Set.of("rep-1")));
        assertThat(slice(REP, Filter.ALL, Dimension.MONTH)).isEqualTo(new Slice(List.of("rep"), Set.of("rep-1")));
        assertThat(slice(REP, new Filter(null, null, "rep-1", null, null, null), Dimension.REP))
                .isEqualTo(new Slice(List.of("rep"), Set.of("rep-1")));
    }

    @Test
    void aTeamsFunnelAddsUpTheCellsOfItsReps() {
        assertThat(slice(TEAM, Filter.ALL, null)).isEqualTo(new Slice(List.of("rep"), Set.of("rep-1", "rep-2")));
        assertThat(slice(TEAM, Filter.ALL, Dimension.REP))
                .isEqualTo(new Slice(List.of("rep"), Set.of("rep-1", "rep-2")));
        assertThat(slice(TEAM, new Filter(null, null, "rep-2", null, null, null), null))
                .isEqualTo(new Slice(List.of("rep"), Set.of("rep-2")));
    }

    @Test
    void aRegionsFunnelIsItsRegionCells() {
        assertThat(slice(EAST, Filter.ALL, null)).isEqualTo(new Slice(List.of("region"), Set.of("east")));
        assertThat(slice(EAST, Filter.ALL, Dimension.REGION)).isEqualTo(new Slice(List.of("region"), Set.of("east")));
        assertThat(slice(EAST, filter("east", null, null), Dimension.MONTH))
                .isEqualTo(new Slice(List.of("region"), Set.of("east")));
    }

    @Test
    void aScopeWithAFilterOfAnotherDimensionIsCountedPerCustomer() {
        assertThat(slice(EAST, filter(null, "t1", null), null)).isNull();
        assertThat(slice(REP, filter(null, null, "web"), null)).isNull();
        assertThat(slice(TEAM, Filter.ALL, Dimension.CHANNEL)).isNull();
    }

    @Test
    void aFilterOutsideTheScopeSelectsNobody() {
        assertThat(FunnelQueries.selected(EAST, filter("west", null, null))).isNull();
        assertThat(FunnelQueries.selected(TEAM, new Filter(null, null, "rep-9", null, null, null))).isNull();
        assertThat(FunnelQueries.selected(Scope.NOTHING, Filter.ALL)).isNull();
    }

    private static Slice slice(Scope scope, Filter filter, Dimension by) {
        return Slice.of(FunnelQueries.selected(scope, filter), by);
    }

    private static Filter filter(String region, String team, String channel) {
        return new Filter(region, team, null, channel, null, null);
    }
}
