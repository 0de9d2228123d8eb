package org.salesledger.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class QueryDatesTest {

    @Test
    void a_date_reads_and_a_blank_one_is_absent() {
        assertThat(QueryDates.date("from", " 2025-03-01 ")).isEqualTo(LocalDate.of(2025, 3, 1));
        assertThat(QueryDates.date("from", " ")).isNull();
        assertThat(QueryDates.date("from", null)).isNull();
    }

    @Test
    void a_year_postgresql_cannot_hold_is_refused_naming_the_parameter() {
        assertThat(QueryDates.date("to", "9999-12-31")).isEqualTo(LocalDate.of(9999, 12, 31));
        assertThatThrownBy(() -> QueryDates.date("to", "+300000-01-01")).isInstanceOf(QueryRefused.class)
                .hasMessageContaining("to must be a date from 0001-01-01");
        assertThatThrownBy(() -> QueryDates.date("from", "-0001-01-01")).isInstanceOf(QueryRefused.class)
                .hasMessageContaining("from");
        assertThatThrownBy(() -> QueryDates.date("from", "2025-13-01")).isInstanceOf(QueryRefused.class)
                .hasMessageContaining("from must be a date as YYYY-MM-DD");
    }
}
