package org.salesledger.projections.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;

/** The settings that say what a touch is and which windows are precomputed, as read and as applied. */
class AttributionDefinitionTest {

    private static final CustomerId ID = CustomerId.of("c-1");

    @Test
    void byDefaultARegistrationAndATouchpointAreTouchesUnderTheirOwnChannel() {
        AttributionDefinition definition = AttributionDefinition.defaults();

        assertThat(definition.touchChannel(new CustomerRegistered(ID, "n", "east", RepId.of("r"), "fair", null, null,
                null, null, null, Map.of()))).isEqualTo("fair");
        assertThat(definition.touchChannel(new TouchpointRecorded(ID, "wechat", null, null, Map.of())))
                .isEqualTo("wechat");
        assertThat(definition.touchChannel(visit())).isNull();
        assertThat(definition.windows()).containsExactly(Window.DEFAULT);
    }

    @Test
    void anotherActionCountsAsATouchUnderTheChannelTheSettingGivesIt() {
        AttributionDefinition definition = AttributionDefinition.parse(
                " TouchpointRecorded , VisitLogged=field_visit ", "30/3.5, 90/7");

        assertThat(definition.touchChannel(visit())).isEqualTo("field_visit");
        assertThat(definition.touchChannel(new ProposalSent(ID, null, null, null, null, Map.of()))).isNull();
        assertThat(definition.touchTypesText()).isEqualTo("TouchpointRecorded,VisitLogged=field_visit");
        assertThat(definition.windowsText()).isEqualTo("30/3.5,90/7");
    }

    @Test
    void theSameSettingsWrittenDifferentlyAreTheSameDefinition() {
        assertThat(AttributionDefinition.parse("VisitLogged=v,CustomerRegistered", "90/7.0,30/2"))
                .isEqualTo(AttributionDefinition.parse("CustomerRegistered, VisitLogged=v", "30/2, 90/7"));
    }

    @Test
    void aSettingThatCannotBeAppliedIsRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> AttributionDefinition.parse("Visits", "90/7"))
                .hasMessageContaining("touch-types").hasMessageContaining("not an action type");
        assertThatThrownBy(() -> AttributionDefinition.parse("VisitLogged", "90/7"))
                .hasMessageContaining("VisitLogged=field_visit");
        assertThatThrownBy(() -> AttributionDefinition.parse("VisitLogged=", "90/7"))
                .hasMessageContaining("names no channel");
        assertThatThrownBy(() -> AttributionDefinition.parse("TouchpointRecorded,TouchpointRecorded", "90/7"))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> AttributionDefinition.parse("TouchpointRecorded", "ninety"))
                .hasMessageContaining("precomputed-windows").hasMessageContaining("90/7");
    }

    @Test
    void aWindowIsPrecomputedForTimeDecayOnlyWithItsHalfLifeAndForTheOtherModelsByItsLookback() {
        AttributionDefinition definition = AttributionDefinition.parse("TouchpointRecorded", "30/3.5,90/7");

        assertThat(definition.precomputed(AttributionModel.LINEAR, new Window(30, BigDecimal.ONE)))
                .contains(new Window(30, new BigDecimal("3.5")));
        assertThat(definition.precomputed(AttributionModel.TIME_DECAY, new Window(30, BigDecimal.ONE))).isEmpty();
        assertThat(definition.precomputed(AttributionModel.TIME_DECAY, new Window(90, new BigDecimal("7.00"))))
                .contains(Window.DEFAULT);
        assertThat(definition.precomputed(AttributionModel.W_SHAPED, new Window(60, BigDecimal.ONE))).isEmpty();
        assertThat(List.of(definition.windows().get(0).lookbackDays())).containsExactly(30);
    }

    private static VisitLogged visit() {
        return new VisitLogged(ID, "buyer", null, null, null, null, null, Map.of());
    }
}
