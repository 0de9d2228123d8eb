package org.salesledger.projections.attribution;

import java.math.BigDecimal;
import org.jooq.Field;
import org.salesledger.projections.jooq.tables.AttributionCredit;

/** One model's three columns of {@code attribution_credit}: {@code <model>_conversions}, {@code _revenue}, {@code _shares}. */
record CreditColumns(Field<BigDecimal> conversions, Field<BigDecimal> revenue, Field<Integer> shares) {

    static CreditColumns of(AttributionCredit table, AttributionModel model) {
        return new CreditColumns(table.field(model.code() + "_conversions", BigDecimal.class),
                table.field(model.code() + "_revenue", BigDecimal.class),
                table.field(model.code() + "_shares", Integer.class));
    }
}
