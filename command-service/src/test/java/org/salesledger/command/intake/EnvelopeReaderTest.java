package org.salesledger.command.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.command.testdata.Envelopes.valid;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.salesledger.command.testdata.Actions;
import org.salesledger.command.testdata.Envelopes;
import org.salesledger.command.testdata.Envelopes.Envelope;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.customer.CustomerSnoozed;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.message.MessageSent;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.FieldLimits;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.visit.VisitLogged;

/** What the command side accepts as an action (contract §1) and how it explains a refusal, field by field. */
class EnvelopeReaderTest {

    static final List<String> TYPES = Envelopes.TYPES;

    static EnvelopeReader.Result read(Envelope envelope) {
        return read(envelope.json());
    }

    static EnvelopeReader.Result read(String json) {
        return EnvelopeReader.read(json, new IncomingAction.Sender("10.0.0.1", "dev-9"));
    }

    static List<String> fields(EnvelopeReader.Result result) {
        return result.errors().stream().map(FieldError::field).toList();
    }

    static <T> T payload(EnvelopeReader.Result result, Class<T> type) {
        assertThat(result.errors()).isEmpty();
        return type.cast(result.action().payload());
    }

    // ---- valid envelopes ----

    @ParameterizedTest
    @FieldSource("TYPES")
    void acceptsValidEnvelopeOfEveryV1TypeAsItsRecord(String type) {
        EnvelopeReader.Result result = read(valid(type));

        assertThat(result.ok()).isTrue();
        assertThat(result.errors()).isEmpty();
        assertThat(result.action().id()).isEqualTo("a-1");
        assertThat(result.action().customerId().value()).isEqualTo("c-1");
        assertThat(result.action().payload()).isEqualTo(Actions.of(type, "c-1"));
    }

    @Test
    void keepsTheEnvelopeAndTheSenderAsMetadata() {
        EnvelopeReader.Result result = read(valid("DealLost").with("time", "2025-03-01T09:30:00.250-05:00"));

        assertThat(result.action().metadata()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ActionMetadata.ACTION_ID, "a-1", ActionMetadata.SOURCE, "/test", ActionMetadata.ACTOR, "rep-07",
                ActionMetadata.OCCURRED_AT, "2025-03-01T09:30:00.250-05:00",
                ActionMetadata.CLIENT_IP, "10.0.0.1", ActionMetadata.DEVICE_ID, "dev-9"));
    }

    @Test
    void acceptsEnvelopeWithOnlyTheRequiredDataFields() {
        EnvelopeReader.Result result = read(Envelopes.withData("ProposalSent", """
                {"document": {"uri": "s3://p.pdf", "mediaType": "application/pdf"},
                 "expectedDecisionDate": "2025-04-01", "keyParameters": ["a", "b", "c"]}"""));

        assertThat(payload(result, ProposalSent.class).amount()).isNull();
    }

    // ---- envelope attributes ----

    @ParameterizedTest
    @ValueSource(strings = {"specversion", "id", "source", "type", "subject", "time", "actor", "data"})
    void refusesEnvelopeWithoutARequiredAttributeNamingIt(String attribute) {
        EnvelopeReader.Result result = read(valid("DealLost").without(attribute));

        assertThat(result.ok()).isFalse();
        assertThat(fields(result)).containsExactly(attribute);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "source", "type", "subject", "time", "actor"})
    void refusesABlankAttribute(String attribute) {
        assertThat(fields(read(valid("DealLost").with(attribute, " ")))).containsExactly(attribute);
    }

    @Test
    void refusesSpecVersionOtherThan1_0() {
        assertThat(fields(read(valid("DealLost").with("specversion", "0.3")))).containsExactly("specversion");
        assertThat(fields(read(valid("DealLost").withJson("specversion", "1.0")))).containsExactly("specversion");
    }

    @Test
    void refusesMalformedJsonWithWhereItBroke() {
        EnvelopeReader.Result result = read("{\"specversion\":\"1.0\",");

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEmpty();
            assertThat(e.message()).startsWith("is not valid JSON").contains("column");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"VisitLogged\"", "null", ""})
    void refusesJsonThatIsNotAnObject(String json) {
        assertThat(read(json).errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEmpty();
            assertThat(e.message()).isNotBlank();
        });
    }

    @Test
    void refusesJsonWithTrailingContent() {
        assertThat(fields(read(valid("DealLost").json() + " {}"))).containsExactly("");
    }

    /**
     * JSON the parser refuses for its own limits (nesting over 1000 levels, a number of over 1000 digits) is malformed
     * JSON like any other: a refusal with field "", not an exception that would stop a whole import.
     */
    @ParameterizedTest
    @MethodSource("jsonOverTheParserLimits")
    void refusesJsonOverTheParserLimitsLikeAnyMalformedJson(String json) {
        EnvelopeReader.Result result = read(json);

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEmpty();
            assertThat(e.message()).startsWith("is not valid JSON");
        });
    }

    static Stream<String> jsonOverTheParserLimits() {
        return Stream.of(
                valid("DealLost").with("data.deep", "@").json().replace("\"@\"", "[".repeat(1200) + "]".repeat(1200)),
                valid("ContractSigned").with("data.amount.value", "@").json().replace("\"@\"", "1".repeat(1200)));
    }

    @Test
    void refusesUnknownTypeNamingIt() {
        EnvelopeReader.Result result = read(valid("DealLost").with("type", "Teleported"));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("type");
            assertThat(e.message()).contains("'Teleported'").contains("VisitLogged");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"CustomerTagged", "CustomerUntagged", "CustomerClassified", "EscalationRaised",
            "FollowUpDue", "CustomerReleasedToPool", "CollectionDue", "TalkTracksSuggested", "TalkTrackIgnored"})
    void refusesRuleMadeTypesSaidToBeRecordedByTheRules(String type) {
        EnvelopeReader.Result result = read(valid("DealLost").with("type", type));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("type");
            assertThat(e.message()).isEqualTo("type " + type + " is recorded by the rules, not sent by clients");
        });
    }

    @Test
    void refusesReassignmentSentAsAnAction() {
        EnvelopeReader.Result result = read(valid("DealLost").with("type", "CustomerReassigned"));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("type");
            assertThat(e.message()).contains("CustomerReassigned", "not sent by clients");
        });
    }

    @Test
    void refusesSubjectsInTheSystemsReservedNamespace() {
        EnvelopeReader.Result result = read(valid("DealLost").with("subject", "salesledger:rulebook"));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("subject");
            assertThat(e.message()).contains("reserved");
        });
    }

    @Test
    void acceptsTalkTrackFeedbackAsAClientAction() {
        EnvelopeReader.Result result = read(Envelopes.withData("DealLost", """
                {"suggestionId": "s-1", "scriptId": "script-7", "feedback": "USED", "note": "worked"}""")
                .with("type", "TalkTrackFeedbackGiven"));

        TalkTrackFeedbackGiven feedback = payload(result, TalkTrackFeedbackGiven.class);
        assertThat(feedback.suggestionId()).isEqualTo("s-1");
        assertThat(feedback.scriptId()).isEqualTo("script-7");
        assertThat(feedback.feedback()).isEqualTo(TalkTrackFeedback.USED);
        assertThat(feedback.additional()).containsEntry("note", "worked");
    }

    @Test
    void refusesTalkTrackFeedbackWithoutItsFieldsOrWithAnUnknownAnswer() {
        EnvelopeReader.Result missing = read(Envelopes.withData("DealLost", "{}").with("type", "TalkTrackFeedbackGiven"));
        EnvelopeReader.Result unknown = read(Envelopes.withData("DealLost", """
                {"suggestionId": "s-1", "scriptId": "script-7", "feedback": "LOVED"}""")
                .with("type", "TalkTrackFeedbackGiven"));

        assertThat(fields(missing)).containsExactlyInAnyOrder("data.suggestionId", "data.scriptId", "data.feedback");
        assertThat(unknown.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data.feedback");
            assertThat(e.message()).contains("USED", "NOT_APPLICABLE");
        });
    }

    @Test
    void acceptsAMessageWithOnlyItsChannelAndKeepsFieldsTheContractDoesNotName() {
        MessageSent message = payload(read(Envelopes.withData("MessageSent", """
                {"channel": "letter-by-hand", "wechatMsgId": "wx-88", "recipients": ["head of equipment"]}""")),
                MessageSent.class);

        assertThat(message.channel()).isEqualTo("letter-by-hand");
        assertThat(message.templateId()).isNull();
        assertThat(message.refActionId()).isNull();
        assertThat(message.summary()).isNull();
        assertThat(message.additional()).containsEntry("wechatMsgId", "wx-88")
                .containsEntry("recipients", List.of("head of equipment"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"  \"", "42", "[\"wechat\"]", "{\"name\": \"wechat\"}", "true"})
    void refusesAMessageWhoseChannelIsNotANonBlankCode(String channel) {
        EnvelopeReader.Result result = read(valid("MessageSent").withJson("data.channel", channel));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data.channel");
            assertThat(e.message()).isNotBlank();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"templateId", "refActionId", "summary"})
    void refusesAMessageWhoseOptionalTextIsNotText(String field) {
        assertThat(fields(read(valid("MessageSent").withJson("data." + field, "{\"id\": 7}"))))
                .containsExactly("data." + field);
        assertThat(fields(read(valid("MessageSent").withJson("data." + field, "12")))).containsExactly("data." + field);
    }

    @Test
    void refusesAMessageSummaryOverItsLimitNamingFieldAndLimit() {
        EnvelopeReader.Result result = read(valid("MessageSent").with("data.summary", "s".repeat(10_001)));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data.summary");
            assertThat(e.message()).contains("10000");
        });
    }

    @Test
    void reportsEveryWrongFieldOfAMessageAtOnce() {
        assertThat(fields(read(valid("MessageSent").without("data.channel").with("data.templateId", "t".repeat(256))
                .withJson("data.refActionId", "[]"))))
                .containsExactlyInAnyOrder("data.channel", "data.templateId", "data.refActionId");
    }

    /** A read receipt (contract §8) is an ordinary observation: kind {@code message_read}, the message's id. */
    @Test
    void acceptsAReadReceiptAsACustomerActionObserved() {
        CustomerActionObserved receipt = payload(read(Envelopes.withData("CustomerActionObserved", """
                {"kind": "message_read", "refActionId": "msg-1"}""")), CustomerActionObserved.class);

        assertThat(receipt.kind()).isEqualTo("message_read");
        assertThat(receipt.refActionId()).isEqualTo("msg-1");
    }

    @Test
    void comparesTheTypeExactly() {
        assertThat(fields(read(valid("DealLost").with("type", "deallost")))).containsExactly("type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2025-03-01T09:30:00", "2025-03-01", "2025-13-01T09:30:00Z",
            "2025-03-01T25:00:00+08:00", "1740792600"})
    void refusesTimeThatIsNotRfc3339WithAnOffset(String time) {
        EnvelopeReader.Result result = read(valid("DealLost").with("time", time));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("time");
            assertThat(e.message()).contains(time);
        });
    }

    /** RFC 3339 requires the seconds, and an offset of hours and minutes only. */
    @ParameterizedTest
    @ValueSource(strings = {"2025-03-01T09:30+08:00", "2025-03-01T09:30:00+08:00:30"})
    void refusesTimeThatRfc3339DoesNotAllow(String time) {
        assertThat(fields(read(valid("DealLost").with("time", time)))).containsExactly("time");
    }

    @Test
    void refusesTimeGivenAsANumber() {
        assertThat(fields(read(valid("DealLost").withJson("time", "1740792600")))).containsExactly("time");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-01T01:30:00Z", "2025-03-01T09:30:00+08:00", "2025-02-28T20:30:00.123456-05:00"})
    void acceptsRfc3339TimeAndKeepsItAsGiven(String time) {
        EnvelopeReader.Result result = read(valid("DealLost").with("time", time));

        assertThat(result.action().metadata()).containsEntry(ActionMetadata.OCCURRED_AT, time);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "subject", "actor"})
    void refusesIdsLongerThan255Characters(String attribute) {
        EnvelopeReader.Result result = read(valid("DealLost").with(attribute, "x".repeat(256)));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo(attribute);
            assertThat(e.message()).contains("255");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "subject", "actor"})
    void acceptsIdsOf255Characters(String attribute) {
        assertThat(read(valid("DealLost").with(attribute, "x".repeat(255))).errors()).isEmpty();
    }

    @Test
    void refusesOwnerRepIdLongerThan255Characters() {
        assertThat(fields(read(valid("CustomerRegistered").with("data.ownerRepId", "r".repeat(256)))))
                .containsExactly("data.ownerRepId");
    }

    // ---- data fields ----

    static Stream<Arguments> requiredDataFields() {
        return Stream.of(
                Arguments.of("CustomerRegistered", "name"),
                Arguments.of("CustomerRegistered", "region"),
                Arguments.of("CustomerRegistered", "ownerRepId"),
                Arguments.of("CustomerRegistered", "channel"),
                Arguments.of("VisitLogged", "contactRole"),
                Arguments.of("VisitLogged", "location"),
                Arguments.of("VisitLogged", "location.lat"),
                Arguments.of("VisitLogged", "location.lon"),
                Arguments.of("ProposalSent", "document"),
                Arguments.of("ProposalSent", "document.uri"),
                Arguments.of("ProposalSent", "document.mediaType"),
                Arguments.of("ProposalSent", "expectedDecisionDate"),
                Arguments.of("ProposalSent", "keyParameters"),
                Arguments.of("ProposalSent", "amount.value"),
                Arguments.of("ProposalSent", "amount.currency"),
                Arguments.of("ObjectionRaised", "objectionType"),
                Arguments.of("ContractSigned", "contractId"),
                Arguments.of("ContractSigned", "amount"),
                Arguments.of("ContractSigned", "amount.value"),
                Arguments.of("ContractSigned", "amount.currency"),
                Arguments.of("PaymentReceived", "contractId"),
                Arguments.of("PaymentReceived", "amount"),
                Arguments.of("PaymentReceived", "amount.value"),
                Arguments.of("PaymentReceived", "amount.currency"),
                Arguments.of("DealLost", "reason"),
                Arguments.of("TouchpointRecorded", "channel"),
                Arguments.of("CostIncurred", "category"),
                Arguments.of("CostIncurred", "amount"),
                Arguments.of("CostIncurred", "amount.value"),
                Arguments.of("CostIncurred", "amount.currency"),
                Arguments.of("CustomerActionObserved", "kind"),
                Arguments.of("CustomerActionObserved", "refActionId"),
                Arguments.of("MessageSent", "channel"),
                Arguments.of("CustomerSnoozed", "until"),
                Arguments.of("CustomerSnoozed", "reason"));
    }

    @ParameterizedTest(name = "{0} without data.{1}")
    @MethodSource("requiredDataFields")
    void refusesMissingRequiredDataFieldNamingIt(String type, String field) {
        EnvelopeReader.Result result = read(valid(type).without("data." + field));

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data." + field);
            assertThat(e.message()).isEqualTo("is required");
        });
    }

    @ParameterizedTest(name = "{0} with data.{1} null")
    @MethodSource("requiredDataFields")
    void takesNullForAMissingRequiredDataField(String type, String field) {
        assertThat(fields(read(valid(type).withJson("data." + field, "null")))).containsExactly("data." + field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NeedsConfirmed", "TrialRequested"})
    void acceptsEmptyDataForTypesWithoutRequiredFields(String type) {
        assertThat(read(Envelopes.withData(type, "{}")).errors()).isEmpty();
    }

    @Test
    void refusesBlankRequiredText() {
        assertThat(fields(read(valid("DealLost").with("data.reason", "  ")))).containsExactly("data.reason");
    }

    @Test
    void refusesDataThatIsNotAnObject() {
        assertThat(fields(read(valid("DealLost").withJson("data", "[\"budget cut\"]")))).containsExactly("data");
    }

    @ParameterizedTest
    @ValueSource(ints = {91, -91})
    void refusesLatitudeOutOfRangeNamingItsPath(int lat) {
        EnvelopeReader.Result result = read(valid("VisitLogged").with("data.location.lat", lat));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data.location.lat");
            assertThat(e.message()).contains("-90", "90");
        });
    }

    @Test
    void refusesLongitudeOutOfRangeNamingItsPath() {
        assertThat(fields(read(valid("VisitLogged").with("data.location.lon", 180.5))))
                .containsExactly("data.location.lon");
    }

    @Test
    void refusesLatitudeGivenAsText() {
        assertThat(fields(read(valid("VisitLogged").with("data.location.lat", "north"))))
                .containsExactly("data.location.lat");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void refusesProposalWithoutExactlyThreeKeyParameters(int count) {
        List<String> keys = List.of("price", "delivery", "warranty", "training").subList(0, count);

        EnvelopeReader.Result result = read(valid("ProposalSent").with("data.keyParameters", keys));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data.keyParameters");
            assertThat(e.message()).contains("exactly 3");
        });
    }

    @Test
    void refusesBlankKeyParameterNamingItsPosition() {
        assertThat(fields(read(valid("ProposalSent").with("data.keyParameters", List.of("price", " ", "warranty")))))
                .containsExactly("data.keyParameters[1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/msword", "image/png", "APPLICATION/PDF"})
    void refusesProposalThatIsNotPdf(String mediaType) {
        EnvelopeReader.Result result = read(valid("ProposalSent").with("data.document.mediaType", mediaType));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data.document.mediaType");
            assertThat(e.message()).contains("application/pdf");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"next month", "2025-02-30", "01/04/2025", "2025-04-01T00:00:00Z"})
    void refusesExpectedDecisionDateThatIsNotADate(String date) {
        assertThat(fields(read(valid("ProposalSent").with("data.expectedDecisionDate", date))))
                .containsExactly("data.expectedDecisionDate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"after the holidays", "2025-02-30", "20/03/2025", "2025-03-20T00:00:00Z", ""})
    void refusesSnoozeUntilThatIsNotADate(String until) {
        EnvelopeReader.Result result = read(valid("CustomerSnoozed").with("data.until", until));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data.until");
            assertThat(e.message()).isNotBlank();
        });
    }

    @Test
    void refusesSnoozeUntilGivenAsANumber() {
        assertThat(fields(read(valid("CustomerSnoozed").withJson("data.until", "20250320"))))
                .containsExactly("data.until");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void refusesSnoozeWithABlankReason(String reason) {
        EnvelopeReader.Result result = read(valid("CustomerSnoozed").with("data.reason", reason));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data.reason");
            assertThat(e.message()).contains("blank");
        });
    }

    /** Snoozing until today or a past date ends a snooze: the edge has no clock and must not refuse it. */
    @Test
    void acceptsSnoozeUntilAPastDateAsTheEndOfASnooze() {
        CustomerSnoozed snoozed = payload(read(valid("CustomerSnoozed").with("data.until", "2001-01-01")),
                CustomerSnoozed.class);

        assertThat(snoozed.until()).isEqualTo(java.time.LocalDate.of(2001, 1, 1));
        assertThat(snoozed.reason()).isEqualTo("champion on holiday");
    }

    @Test
    void reportsBothSnoozeFieldsAtOnce() {
        assertThat(fields(read(valid("CustomerSnoozed").with("data.until", "soon").without("data.reason"))))
                .containsExactlyInAnyOrder("data.until", "data.reason");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TOO_EXPENSIVE", "price", ""})
    void refusesObjectionTypeOutsideTheContract(String objectionType) {
        EnvelopeReader.Result result = read(valid("ObjectionRaised").with("data.objectionType", objectionType));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data.objectionType");
            assertThat(e.message()).isNotBlank();
        });
    }

    @Test
    void namesTheAllowedObjectionTypesWhenRefusingOne() {
        EnvelopeReader.Result result = read(valid("ObjectionRaised").with("data.objectionType", "TOO_EXPENSIVE"));

        assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("PRICE", "REGISTRATION_CERTIFICATE", "COMPETITOR", "AFTER_SALES", "OTHER"));
    }

    @Test
    void acceptsAmountValueGivenAsAStringExactly() {
        EnvelopeReader.Result result = read(valid("ContractSigned").with("data.amount.value", "1200.50"));

        assertThat(payload(result, ContractSigned.class).amount().value()).isEqualTo(new BigDecimal("1200.50"));
    }

    @Test
    void keepsTheDigitsAndScaleOfANumericAmount() {
        EnvelopeReader.Result result = read(valid("ContractSigned")
                .withJson("data.amount.value", "123456789012345678901234567890.10"));

        assertThat(payload(result, ContractSigned.class).amount().value())
                .isEqualTo(new BigDecimal("123456789012345678901234567890.10"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"twelve", "1,200.50", "NaN", ""})
    void refusesAmountValueThatIsNotADecimal(String value) {
        assertThat(fields(read(valid("PaymentReceived").with("data.amount.value", value))))
                .containsExactly("data.amount.value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XYZ", "usd", "EURO", "RMB"})
    void refusesCurrencyThatIsNotAnIsoCode(String currency) {
        assertThat(fields(read(valid("ContractSigned").with("data.amount.currency", currency))))
                .containsExactly("data.amount.currency");
    }

    @Test
    void acceptsAnyIsoCurrency() {
        EnvelopeReader.Result result = read(valid("PaymentReceived").with("data.amount.currency", "EUR"));

        assertThat(payload(result, PaymentReceived.class).amount().currency()).isEqualTo("EUR");
    }

    @Test
    void reportsEveryErrorOfAnEnvelopeAtOnce() {
        Envelope envelope = valid("VisitLogged")
                .without("id")
                .without("source")
                .with("time", "soon")
                .without("data.contactRole")
                .with("data.location", Map.of("lat", "north", "lon", 200));

        assertThat(fields(read(envelope))).containsExactlyInAnyOrder("id", "source", "time", "data.contactRole",
                "data.location.lat", "data.location.lon");
    }

    @Test
    void reportsEveryDataErrorOfAnAmountAndADocumentAtOnce() {
        Envelope envelope = valid("ProposalSent")
                .with("data.document.mediaType", "text/plain")
                .with("data.expectedDecisionDate", "soon")
                .with("data.keyParameters", List.of("price"))
                .with("data.amount", Map.of("value", "lots", "currency", "usd"));

        assertThat(fields(read(envelope))).containsExactlyInAnyOrder("data.document.mediaType",
                "data.expectedDecisionDate", "data.keyParameters", "data.amount.value", "data.amount.currency");
    }

    /** The subject is needed to build the record, not to tell the sender what else is wrong with the data. */
    @Test
    void reportsDataErrorsEvenWhenTheSubjectIsMissing() {
        Envelope envelope = valid("DealLost").without("subject").without("data.reason");

        assertThat(fields(read(envelope))).containsExactlyInAnyOrder("subject", "data.reason");
    }

    @Test
    void keepsDataFieldsV1DoesNotNameIncludingNestedOnes() {
        Envelope envelope = valid("VisitLogged")
                .with("data.weather", "rain")
                .withJson("data.crm", "{\"ids\": [1, 2], \"score\": 0.50, \"owner\": {\"name\": \"Li\"}, \"x\": null}");

        VisitLogged visit = payload(read(envelope), VisitLogged.class);

        assertThat(visit.additional()).containsOnlyKeys("weather", "crm").containsEntry("weather", "rain");
        Map<String, Object> crm = new java.util.LinkedHashMap<>();
        crm.put("ids", List.of(1, 2));
        crm.put("score", new BigDecimal("0.50"));
        crm.put("owner", Map.of("name", "Li"));
        crm.put("x", null);
        assertThat(visit.additional().get("crm")).isEqualTo(crm);
    }

    @Test
    void keepsNoAdditionalFieldsWhenTheDataHasOnlyNamedOnes() {
        assertThat(payload(read(valid("CustomerRegistered")), CustomerRegistered.class).additional()).isEmpty();
    }

    @Test
    void acceptsNameContainingSqlAndHtmlVerbatim() {
        String name = "Robert'); DROP TABLE customer;-- <script>alert(1)</script>";

        EnvelopeReader.Result result = read(valid("CustomerRegistered").with("data.name", name));

        assertThat(payload(result, CustomerRegistered.class).name()).isEqualTo(name);
    }

    @Test
    void acceptsTextInAnyScriptVerbatim() {
        String name = "上海联影医疗 \"Ünited\" \\ 🩺";

        EnvelopeReader.Result result = read(valid("CustomerRegistered").with("data.name", name));

        assertThat(payload(result, CustomerRegistered.class).name()).isEqualTo(name);
    }

    // ---- limits and characters no store keeps ----

    @Test
    void freeFormDataNestedUpToItsLimitIsKeptAndOneLevelDeeperIsRefusedNamingTheField() {
        String atLimit = "[".repeat(FieldLimits.FREE_FORM_DEPTH) + "1" + "]".repeat(FieldLimits.FREE_FORM_DEPTH);
        String over = "[".repeat(FieldLimits.FREE_FORM_DEPTH + 1) + "1" + "]".repeat(FieldLimits.FREE_FORM_DEPTH + 1);

        assertThat(read(valid("DealLost").withJson("data.crm", atLimit)).ok()).isTrue();
        assertThat(fields(read(valid("DealLost").withJson("data.crm", over)))).containsExactly("data.crm");
    }

    @Test
    void freeFormFieldNamesStringsAndNumbersHaveLimits() {
        String longKey = "k".repeat(FieldLimits.FREE_FORM_KEY + 1);

        assertThat(fields(read(valid("DealLost").withJson("data.crm", "{\"" + longKey + "\": 1}"))))
                .containsExactly("data.crm");
        assertThat(fields(read(valid("DealLost").with("data.crm", List.of("x".repeat(FieldLimits.TEXT + 1))))))
                .containsExactly("data.crm[0]");
        assertThat(fields(read(valid("DealLost").withJson("data.crm", "1e1001")))).containsExactly("data.crm");
        assertThat(fields(read(valid("DealLost").withJson("data.crm", "1e-1001")))).containsExactly("data.crm");
        assertThat(read(valid("DealLost").withJson("data.crm", "1.7976931348623157e308")).ok()).isTrue();
    }

    @Test
    void aNulOrALoneSurrogateAnywhereIsRefusedNamingWhereItIs() {
        assertThat(fields(read(valid("DealLost").with("data.reason", "a\u0000b")))).containsExactly("data.reason");
        assertThat(fields(read(valid("DealLost").with("actor", "rep\ud800")))).containsExactly("actor");
        assertThat(fields(read(valid("DealLost").with("data.crm", Map.of("k\u0000", 1)))))
                .containsExactly("data.crm.k\\u0000");
        assertThat(fields(read(valid("DealLost").json().replace("\"data\":{", "\"data\":{\"raw\":\"a\u0000b\","))))
                .containsExactly("data.raw");
        assertThat(read(valid("DealLost").with("data.reason", "\ud83d\ude00 fine")).ok()).isTrue();
    }

    @Test
    void aTimeOutsideTheYears1To9999InUtcIsRefused() {
        assertThat(fields(read(valid("DealLost").with("time", "0000-12-31T23:00:00-02:00")))).isEmpty();
        assertThat(fields(read(valid("DealLost").with("time", "9999-12-31T23:00:00-00:59")))).isEmpty();
        assertThat(fields(read(valid("DealLost").with("time", "0000-12-31T23:00:00Z")))).containsExactly("time");
        assertThat(fields(read(valid("DealLost").with("time", "9999-12-31T23:00:00-01:00")))).containsExactly("time");
        assertThat(fields(read(valid("DealLost").with("time", "9999-12-31T23:00:00+01:00")))).isEmpty();
    }

    @Test
    void aTimesOffsetIsAtMost14HoursEitherWay() {
        assertThat(fields(read(valid("DealLost").with("time", "2025-03-01T09:30:00+14:00")))).isEmpty();
        assertThat(fields(read(valid("DealLost").with("time", "2025-03-01T09:30:00-14:00")))).isEmpty();
        assertThat(fields(read(valid("DealLost").with("time", "2025-03-01T09:30:00+14:01")))).containsExactly("time");
        assertThat(fields(read(valid("DealLost").with("time", "2025-03-01T09:30:00-18:00")))).containsExactly("time");
    }

    @Test
    void aDeviceIdHeaderHasALimitAndNoNul() {
        assertThat(EnvelopeReader.checkDeviceId("X-Device-Id", "d".repeat(FieldLimits.DEVICE_ID))).isEmpty();
        assertThat(EnvelopeReader.checkDeviceId("X-Device-Id", "d".repeat(FieldLimits.DEVICE_ID + 1)))
                .extracting(FieldError::field).containsExactly("X-Device-Id");
        assertThat(EnvelopeReader.checkDeviceId("X-Device-Id", "d\u0000")).hasSize(1);
        assertThat(EnvelopeReader.checkDeviceId("X-Device-Id", null)).isEmpty();
    }

    @Test
    void aBodyFullOfBadStringsListsTheFirstHundredErrorsAndCountsTheRest() {
        StringBuilder bad = new StringBuilder("[");
        for (int i = 0; i < 250; i++) {
            bad.append(i == 0 ? "" : ",").append("\"\\u0000\"");
        }
        EnvelopeReader.Result result = read(valid("VisitLogged").withJson("data.crm", bad + "]"));

        assertThat(result.action()).isNull();
        assertThat(result.errors()).hasSize(101);
        assertThat(result.errors().get(100).message()).isEqualTo("and 150 more errors from this field on, not listed");
        assertThat(result.errors()).allSatisfy(e -> assertThat(e.field()).startsWith("data.crm"));
    }
}
