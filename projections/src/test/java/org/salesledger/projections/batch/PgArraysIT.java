package org.salesledger.projections.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.CloseableDSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.salesledger.projections.testing.Migrated;

/** Column arrays reach PostgreSQL element for element, whatever the text holds, with their nulls. */
class PgArraysIT {

    @Migrated
    private static CloseableDSLContext db;

    @Test
    void textArrivesAsWrittenWithQuotesBackslashesBracesCommasNullsAndOtherScripts() {
        String[] values = {"plain", "with \"quotes\"", "back\\slash", "{braces}", "a,b", null, "", "NULL",
                "客户 😀", "line\nbreak\ttab", " spaced "};

        List<String> read = db.fetch("select v from unnest({0}) with ordinality as u (v, n) order by n",
                PgArrays.text(values)).getValues(0, String.class);

        assertThat(read).containsExactly(values);
    }

    @Test
    void bigintsAndTheirNullsArrive() {
        Long[] values = {0L, -1L, Long.MAX_VALUE, null, Long.MIN_VALUE};

        List<Long> read = db.fetch("select v from unnest({0}) with ordinality as u (v, n) order by n",
                PgArrays.bigint(values)).getValues(0, Long.class);

        assertThat(read).containsExactly(values);
    }

    @Test
    void datesTimesSmallintsAndNumbersSentAsTextArriveAsTheirTypes() {
        OffsetDateTime[] times = {OffsetDateTime.of(2025, 3, 1, 8, 30, 0, 0, ZoneOffset.ofHours(8)),
                OffsetDateTime.of(2025, 3, 1, 0, 0, 0, 123_456_000, ZoneOffset.UTC), null};
        LocalDate[] days = {LocalDate.of(2024, 2, 29), LocalDate.of(1999, 12, 31), null};
        Short[] ranks = {(short) 0, (short) 6, null};
        BigDecimal[] amounts = {new BigDecimal("12345678901234567890.125"), new BigDecimal("1E+3"), null};

        List<Record> rows = db.fetch("select t, t = {4} as same_instant, d, r, a, pg_typeof(t)::text, "
                        + "pg_typeof(d)::text, pg_typeof(r)::text, pg_typeof(a)::text "
                        + "from unnest({0}, {1}, {2}, {3}) with ordinality as u (t, d, r, a, n) order by n",
                PgArrays.of(times), PgArrays.of(days), PgArrays.of(ranks), PgArrays.of(amounts),
                DSL.val(OffsetDateTime.of(2025, 3, 1, 0, 30, 0, 0, ZoneOffset.UTC)));

        assertThat(rows.get(0).get(1, Boolean.class)).as("08:30+08:00 is 00:30Z").isTrue();
        assertThat(rows.get(1).get(0, OffsetDateTime.class).toInstant())
                .isEqualTo(times[1].toInstant());
        assertThat(rows).extracting(r -> r.get(2, LocalDate.class)).containsExactly(days);
        assertThat(rows).extracting(r -> r.get(3, Short.class)).containsExactly(ranks);
        assertThat(rows.get(0).get(4, BigDecimal.class)).isEqualByComparingTo(amounts[0]);
        assertThat(rows.get(1).get(4, BigDecimal.class)).isEqualByComparingTo("1000");
        assertThat(rows.get(2).get(0)).isNull();
        assertThat(rows.get(2).get(4)).isNull();
        assertThat(rows.get(0).intoArray()).endsWith("timestamp with time zone", "date", "smallint", "numeric");
    }

    @Test
    void recordsInsertedAsOneArrayPerColumnReadBackEqual() {
        var t = org.salesledger.projections.jooq.Tables.ATTRIBUTION_CONVERSION;
        db.truncate(t).execute();
        var first = new org.salesledger.projections.jooq.tables.records.AttributionConversionRecord();
        first.setCustomerId("c-\"1\"");
        first.setSeq(3L);
        first.setActionId("a-1");
        first.setContractId("K-1");
        first.setAmount(new BigDecimal("12.50"));
        first.setCurrency("CNY");
        first.setOccurredAt(OffsetDateTime.of(2025, 3, 1, 8, 30, 0, 0, ZoneOffset.ofHours(8)));
        var second = first.copy();
        second.setCustomerId("客户-2");
        second.setSeq(4L);
        second.setActionId("a-2");
        second.setContractId("K,{1}");
        second.setAmount(new BigDecimal("1E+3"));

        db.insertInto(t, t.fields()).select(PgArrays.rows(t, List.of(first, second))).execute();

        var read = db.selectFrom(t).orderBy(t.SEQ).fetch();
        assertThat(read).hasSize(2);
        assertThat(read.get(0).getCustomerId()).isEqualTo("c-\"1\"");
        assertThat(read.get(0).getContractId()).isEqualTo("K-1");
        assertThat(read.get(0).getAmount()).isEqualByComparingTo("12.50");
        assertThat(read.get(0).getOccurredAt().toInstant()).isEqualTo(first.getOccurredAt().toInstant());
        assertThat(read.get(1).getCustomerId()).isEqualTo("客户-2");
        assertThat(read.get(1).getContractId()).isEqualTo("K,{1}");
        assertThat(read.get(1).getAmount()).isEqualByComparingTo("1000");
    }

    @Test
    void anArrayServesAsTheListOfAnAnyComparison() {
        List<String> found = db.fetch("select x from (values ('a'), ('b'), ('c')) as t (x) where x = any({0}) "
                + "order by x", PgArrays.text(new String[] {"c", "a", "z"})).getValues(0, String.class);

        assertThat(found).containsExactly("a", "c");
    }

    @Test
    void anElementTypeWithoutAKnownPostgresqlTypeIsRefusedByName() {
        assertThatThrownBy(() -> PgArrays.of(new Object[] {new Object()}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }
}
