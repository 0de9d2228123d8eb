package org.salesledger.kernel.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionData;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.talktrack.TalkTrackIgnored;
import org.salesledger.kernel.talktrack.TalkTracksSuggested;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;

/** The events rules and the system record on customers: registered, refused at the edge, inert for the stage. */
class RuleMadeEventsTest {

    private static final CustomerId C = CustomerId.of("c-1");
    private static final Instant T = Instant.parse("2025-03-01T00:00:00Z");

    static Stream<CustomerAction> systemRecorded() {
        return Stream.of(
                new CustomerTagged(C, "high-bargaining", "r-tag", 1, null),
                new CustomerUntagged(C, "high-bargaining", "r-tag", 2, null),
                new CustomerClassified(C, "A", null, "r-class", 1, null),
                new EscalationRaised(C, "PROPOSAL_SENT", T, "PT72H", "regional-director", RepId.of("rep-1"), List.of("CustomerActionObserved"), "r-e", 1, null),
                new FollowUpDue(C, RepId.of("rep-1"), "supervisor", T, "P7D", "r-i", 1, null),
                new CustomerReleasedToPool(C, RepId.of("rep-1"), T, "P30D", "r-p", 1, null),
                new CollectionDue(C, "K-1", new Money(new BigDecimal("10"), "CNY"), T, "P7D", RepId.of("rep-1"), "r-c", 1, null),
                new TalkTracksSuggested(C, "s-1", "v-1", List.of("script-1"), "r-t", 1, null),
                new TalkTrackIgnored(C, "supervisor", RepId.of("rep-1"), 2, "s-2", "r-t", 1, null),
                new CustomerReassigned(C, RepId.of("rep-1"), RepId.of("rep-2"), "SUPERVISOR", "holiday", null),
                new org.salesledger.kernel.pool.PoolReleaseReminded(C, RepId.of("rep-1"), T, T, "P3D", "r-p", 1, null));
    }

    @ParameterizedTest
    @MethodSource("systemRecorded")
    void everySystemRecordedTypeIsKnownButNotSentByClients(CustomerAction action) {
        String type = ActionTypes.nameOf(action);

        assertThat(ActionTypes.byName(type)).contains(action.getClass());
        assertThat(ActionTypes.isClientType(type)).isFalse();
        assertThat(ActionTypes.clientNames()).doesNotContain(type);
        assertThat(ActionTypes.recordedBy(type)).isPresent();
    }

    @ParameterizedTest
    @MethodSource("systemRecorded")
    void systemRecordedEventsNeverMoveTheStage(CustomerAction action) {
        for (Stage stage : Stage.values()) {
            assertThat(Lifecycle.next(stage, action)).isEqualTo(stage);
        }
    }

    @Test
    void ruleMadeEventsSayTheRulesRecordThemAndReassignmentSaysTheEndpointsDo() {
        assertThat(ActionTypes.recordedBy("CustomerTagged")).contains("the rules");
        assertThat(ActionTypes.recordedBy("CustomerReassigned")).contains("the pool and reassignment endpoints");
        assertThat(ActionTypes.recordedBy("VisitLogged")).isEmpty();
        assertThat(ActionTypes.recordedBy("Teleported")).isEmpty();
    }

    @Test
    void talkTrackFeedbackIsAClientAction() {
        assertThat(ActionTypes.isClientType("TalkTrackFeedbackGiven")).isTrue();
        assertThat(ActionTypes.clientNames()).contains("VisitLogged", "CustomerActionObserved", "TalkTrackFeedbackGiven",
                "CustomerSnoozed", "MessageSent")
                .hasSize(15);
    }

    @Test
    void aClassificationRendersItsClassUnderTheContractsFieldName() {
        var data = ActionData.render(new CustomerClassified(C, "B", "C", "r-class", 3, null));

        assertThat(data.get("class").asText()).isEqualTo("B");
        assertThat(data.get("previousClass").asText()).isEqualTo("C");
        assertThat(data.get("ruleId").asText()).isEqualTo("r-class");
        assertThat(data.get("ruleVersion").asInt()).isEqualTo(3);
        assertThat(data.has("customerId")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(TalkTrackFeedback.class)
    void feedbackRendersItsAnswer(TalkTrackFeedback feedback) {
        var data = ActionData.render(new TalkTrackFeedbackGiven(C, "s-1", "script-1", feedback, Map.of("note", "ok")));

        assertThat(data.get("feedback").asText()).isEqualTo(feedback.name());
        assertThat(data.get("note").asText()).isEqualTo("ok");
    }
}
