package org.salesledger.kernel.settings;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingChecksTest {

    @Test
    void a_number_below_its_bound_is_refused_naming_the_property_the_bound_and_the_value() {
        assertThatThrownBy(() -> SettingChecks.atLeast("salesledger.import.workers", 0, 1))
                .hasMessage("salesledger.import.workers must be at least 1, got 0");
        assertThatThrownBy(() -> SettingChecks.atLeast("salesledger.import.max-errors", -1, 0))
                .hasMessage("salesledger.import.max-errors must be 0 or more, got -1");
        assertThatCode(() -> SettingChecks.atLeast("salesledger.import.workers", 1, 1)).doesNotThrowAnyException();
        assertThatCode(() -> SettingChecks.atLeast("salesledger.import.max-errors", 0, 0)).doesNotThrowAnyException();
    }

    @Test
    void a_duration_must_be_above_zero_or_at_least_its_bound() {
        assertThatThrownBy(() -> SettingChecks.positive("salesledger.audit.checkpoint-interval", Duration.ZERO))
                .hasMessage("salesledger.audit.checkpoint-interval must be positive, got PT0S");
        assertThatThrownBy(() -> SettingChecks.positive("salesledger.rules.refresh-interval", Duration.ofSeconds(-1)))
                .hasMessage("salesledger.rules.refresh-interval must be positive, got PT-1S");
        assertThatThrownBy(() -> SettingChecks.atLeast("salesledger.rebuild.heartbeat-timeout",
                Duration.ofMillis(100), Duration.ofMillis(500)))
                .hasMessage("salesledger.rebuild.heartbeat-timeout must be at least 500ms, got PT0.1S");
        assertThatCode(() -> SettingChecks.atLeast("salesledger.rebuild.heartbeat-timeout",
                Duration.ofMillis(500), Duration.ofMillis(500))).doesNotThrowAnyException();
        assertThatCode(() -> SettingChecks.positive("x", Duration.ofNanos(1))).doesNotThrowAnyException();
    }
}
