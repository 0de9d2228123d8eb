package org.salesledger.projections.scope;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.salesledger.kernel.access.Scope;

/**
 * A caller's {@link Scope} as a condition on a read model's own customer table (contract §7), the one place each
 * read model turns a scope into SQL: every customer; those of the region (registration region); or those owned now
 * by one of the reps (none for an empty set).
 */
public final class ScopeConditions {

    private ScopeConditions() {
    }

    /**
     * The customers the scope covers, given the table's region column and its current owner column. For every
     * customer, {@code trueCondition()} rather than no condition, so that the result may also be combined with
     * {@code or}.
     */
    public static Condition covered(Scope scope, Field<String> region, Field<String> owner) {
        if (scope instanceof Scope.All) {
            return DSL.trueCondition();
        }
        if (scope instanceof Scope.Region r) {
            return region.eq(r.region());
        }
        if (scope instanceof Scope.Owners owners && !owners.reps().isEmpty()) {
            return owner.in(owners.reps());
        }
        return DSL.falseCondition();
    }
}
