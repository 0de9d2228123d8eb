package org.salesledger.query.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;

/** Attribution's {@code from}/{@code to}: read as the funnel and health read them, a year PostgreSQL cannot hold refused. */
class AttributionParamsTest {

    @Test
    void a_date_is_midnight_utc_and_a_time_keeps_its_offset() {
        var s = AttributionParams.selection("2025-03-01", "2025-03-02T08:00:00+08:00", null, null, null);
        assertThat(s.from()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThat(s.to()).isEqualTo(Instant.parse("2025-03-02T00:00:00Z"));
    }

    @Test
    void a_far_year_is_refused_with_400_naming_the_field() {
        assertRefused("from", "+300000-01-01T00:00:00Z", null);
        assertRefused("to", null, "+300000-01-01T00:00:00Z");
        assertRefused("to", null, "+300000-01-01");
        assertRefused("from", "-0001-01-01", null);
        assertRefused("from", "10000-01-01T00:00:00Z", null);
        assertRefused("to", null, "9999-12-31T23:00:00-02:00");
    }

    @Test
    void the_last_and_first_times_postgresql_holds_are_read() {
        var s = AttributionParams.selection("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", null, null, null);
        assertThat(s.from()).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
        assertThat(s.to()).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void text_that_is_no_time_is_refused_naming_the_field() {
        assertRefused("from", "yesterday", null);
        assertRefused("to", null, "2025-13-01");
    }

    private static void assertRefused(String field, String from, String to) {
        assertThatThrownBy(() -> AttributionParams.selection(from, to, null, null, null))
                .as("from=%s, to=%s", from, to)
                .isInstanceOfSatisfying(QueryRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + " must be");
                });
    }
}
