package org.salesledger.command.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.visit.VisitLogged;

/** What the command side accepts as an action and how it explains a refusal, field by field. */
class EnvelopeReaderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A valid envelope of each type: the data holds exactly the required fields. */
    private static final Map<String, String> VALID_DATA = Map.ofEntries(
            Map.entry("CustomerRegistered", "{\"name\":\"Acme\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"web\"}"),
            Map.entry("VisitLogged", "{\"contactRole\":\"equipment\",\"location\":{\"lat\":31.2,\"lon\":121.5}}"),
            Map.entry("NeedsConfirmed", "{}"),
            Map.entry("ProposalSent", "{\"document\":{\"uri\":\"s3://p/1.pdf\",\"mediaType\":\"application/pdf\"},"
                    + "\"expectedDecisionDate\":\"2025-04-01\",\"keyParameters\":[\"price\",\"delivery\",\"warranty\"]}"),
            Map.entry("ObjectionRaised", "{\"objectionType\":\"PRICE\"}"),
            Map.entry("TrialRequested", "{}"),
            Map.entry("ContractSigned", "{\"contractId\":\"K-1\",\"amount\":{\"value\":1000,\"currency\":\"CNY\"}}"),
            Map.entry("PaymentReceived", "{\"contractId\":\"K-1\",\"amount\":{\"value\":\"500\",\"currency\":\"CNY\"}}"),
            Map.entry("DealLost", "{\"reason\":\"budget\"}"),
            Map.entry("TouchpointRecorded", "{\"channel\":\"wechat\"}"),
            Map.entry("CostIncurred", "{\"category\":\"SAMPLES\",\"amount\":{\"value\":\"300\",\"currency\":\"CNY\"}}"),
            Map.entry("CustomerActionObserved", "{\"kind\":\"MESSAGE_READ\",\"refActionId\":\"a-0\"}"));

    static String envelope(String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"a-1\",\"source\":\"/test\",\"type\":\"" + type + "\",\"subject\":\"c-1\","
                + "\"time\":\"2025-03-01T09:30:00+08:00\",\"actor\":\"rep-07\",\"data\":" + data + "}";
    }

    static EnvelopeReader.Result read(String json) {
        return EnvelopeReader.read(json, new IncomingAction.Sender("10.0.0.1", "dev-9"));
    }

    static List<String> fields(EnvelopeReader.Result result) {
        return result.errors().stream().map(FieldError::field).toList();
    }

    /** The valid envelope of this type with one change at a path of its data ("name" or "location.lat"). */
    static String changed(String type, String path, Object value) throws Exception {
        ObjectNode data = (ObjectNode) JSON.readTree(VALID_DATA.get(type));
        String[] parts = path.split("\\.");
        ObjectNode parent = data;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = (ObjectNode) parent.get(parts[i]);
        }
        if (value == null) {
            parent.remove(parts[parts.length - 1]);
        } else {
            parent.set(parts[parts.length - 1], JSON.valueToTree(value));
        }
        return envelope(type, data.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CustomerRegistered", "VisitLogged", "NeedsConfirmed", "ProposalSent", "ObjectionRaised",
            "TrialRequested", "ContractSigned", "PaymentReceived", "DealLost", "TouchpointRecorded", "CostIncurred",
            "CustomerActionObserved"})
    void acceptsAValidEnvelopeOfEveryV1Type(String type) {
        EnvelopeReader.Result result = read(envelope(type, VALID_DATA.get(type)));

        assertThat(result.errors()).isEmpty();
        assertThat(result.action().payload().getClass().getSimpleName()).isEqualTo(type);
        assertThat(result.action().customerId().value()).isEqualTo("c-1");
        assertThat(result.action().metadata()).containsEntry(ActionMetadata.ACTION_ID, "a-1")
                .containsEntry(ActionMetadata.SOURCE, "/test").containsEntry(ActionMetadata.ACTOR, "rep-07")
                .containsEntry(ActionMetadata.OCCURRED_AT, "2025-03-01T09:30:00+08:00")
                .containsEntry(ActionMetadata.CLIENT_IP, "10.0.0.1").containsEntry(ActionMetadata.DEVICE_ID, "dev-9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"specversion", "id", "source", "type", "subject", "time", "actor", "data"})
    void refusesAnEnvelopeWithoutARequiredAttribute(String attribute) throws Exception {
        ObjectNode envelope = (ObjectNode) JSON.readTree(envelope("DealLost", VALID_DATA.get("DealLost")));
        envelope.remove(attribute);

        assertThat(fields(read(envelope.toString()))).containsExactly(attribute);
    }

    @ParameterizedTest
    @CsvSource({
            "CustomerRegistered, name", "CustomerRegistered, region", "CustomerRegistered, ownerRepId",
            "CustomerRegistered, channel", "VisitLogged, contactRole", "VisitLogged, location",
            "ProposalSent, document", "ProposalSent, expectedDecisionDate", "ProposalSent, keyParameters",
            "ObjectionRaised, objectionType", "ContractSigned, contractId", "ContractSigned, amount",
            "PaymentReceived, contractId", "PaymentReceived, amount", "DealLost, reason", "TouchpointRecorded, channel",
            "CostIncurred, category", "CostIncurred, amount", "CustomerActionObserved, kind",
            "CustomerActionObserved, refActionId"})
    void refusesAMissingRequiredDataField(String type, String field) throws Exception {
        EnvelopeReader.Result result = read(changed(type, field, null));

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data." + field);
            assertThat(e.message()).isEqualTo("is required");
        });
    }

    @Test
    void refusesSpecVersionOtherThan1_0() throws Exception {
        String json = envelope("DealLost", VALID_DATA.get("DealLost")).replace("\"1.0\"", "\"0.3\"");

        assertThat(fields(read(json))).containsExactly("specversion");
    }

    @Test
    void refusesMalformedJsonWithWhereItBroke() {
        EnvelopeReader.Result result = read("{\"specversion\":\"1.0\",");

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEmpty();
            assertThat(e.message()).startsWith("is not valid JSON").contains("column");
        });
    }

    @Test
    void refusesAnUnknownTypeNamingIt() {
        EnvelopeReader.Result result = read(envelope("Teleported", "{}"));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("type");
            assertThat(e.message()).contains("Teleported", "VisitLogged");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2025-03-01T09:30:00", "2025-03-01", "2025-13-01T09:30:00Z"})
    void refusesATimeThatIsNotRfc3339WithAnOffset(String time) {
        String json = envelope("DealLost", VALID_DATA.get("DealLost")).replace("2025-03-01T09:30:00+08:00", time);

        assertThat(fields(read(json))).containsExactly("time");
    }

    @Test
    void refusesALatitudeOutOfRangeNamingItsPath() throws Exception {
        assertThat(fields(read(changed("VisitLogged", "location.lat", 91)))).containsExactly("data.location.lat");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void refusesAProposalWithoutExactlyThreeKeyParameters(int count) throws Exception {
        List<String> keys = List.of("a", "b", "c", "d").subList(0, count);

        EnvelopeReader.Result result = read(changed("ProposalSent", "keyParameters", keys));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("data.keyParameters");
            assertThat(e.message()).contains("exactly 3");
        });
    }

    @Test
    void refusesAProposalThatIsNotAPdf() throws Exception {
        EnvelopeReader.Result result = read(changed("ProposalSent", "document.mediaType", "application/msword"));

        assertThat(fields(result)).containsExactly("data.document.mediaType");
    }

    @Test
    void refusesAnExpectedDecisionDateThatIsNotADate() throws Exception {
        assertThat(fields(read(changed("ProposalSent", "expectedDecisionDate", "next month"))))
                .containsExactly("data.expectedDecisionDate");
    }

    @Test
    void refusesAnObjectionTypeOutsideTheContract() throws Exception {
        EnvelopeReader.Result result = read(changed("ObjectionRaised", "objectionType", "TOO_EXPENSIVE"));

        assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("PRICE"));
    }

    @Test
    void acceptsAnAmountGivenAsAStringExactly() throws Exception {
        EnvelopeReader.Result result = read(changed("ContractSigned", "amount.value", "1200.50"));

        assertThat(((ContractSigned) result.action().payload()).amount().value()).isEqualTo(new BigDecimal("1200.50"));
    }

    @Test
    void keepsTheScaleOfANumericAmount() {
        EnvelopeReader.Result result = read(envelope("ContractSigned",
                "{\"contractId\":\"K-1\",\"amount\":{\"value\":12345678901234567890.10,\"currency\":\"CNY\"}}"));

        assertThat(((ContractSigned) result.action().payload()).amount().value())
                .isEqualTo(new BigDecimal("12345678901234567890.10"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"XYZ", "usd", "EURO"})
    void refusesACurrencyThatIsNotAnIsoCode(String currency) throws Exception {
        assertThat(fields(read(changed("ContractSigned", "amount.currency", currency))))
                .containsExactly("data.amount.currency");
    }

    @Test
    void reportsEveryErrorOfAnEnvelopeAtOnce() {
        String json = "{\"specversion\":\"1.0\",\"type\":\"VisitLogged\",\"subject\":\"c-1\",\"time\":\"soon\","
                + "\"actor\":\"rep\",\"data\":{\"location\":{\"lat\":\"north\",\"lon\":200}}}";

        assertThat(fields(read(json))).containsExactlyInAnyOrder("id", "source", "time", "data.contactRole",
                "data.location.lat", "data.location.lon");
    }

    @Test
    void keepsDataFieldsV1DoesNotNameIncludingNestedOnes() {
        EnvelopeReader.Result result = read(envelope("VisitLogged",
                "{\"contactRole\":\"equipment\",\"location\":{\"lat\":1,\"lon\":2},\"weather\":\"rain\","
                        + "\"crm\":{\"ids\":[1,2],\"score\":0.50}}"));

        VisitLogged visit = (VisitLogged) result.action().payload();
        assertThat(visit.additional()).containsEntry("weather", "rain").containsKey("crm");
        assertThat(visit.additional().get("crm")).isEqualTo(Map.of("ids", List.of(1, 2), "score", new BigDecimal("0.50")));
    }

    @Test
    void acceptsANameContainingSqlAndHtmlVerbatim() throws Exception {
        String name = "Robert'); DROP TABLE customer;-- <script>alert(1)</script>";

        EnvelopeReader.Result result = read(changed("CustomerRegistered", "name", name));

        assertThat(((CustomerRegistered) result.action().payload()).name()).isEqualTo(name);
    }

    @Test
    void refusesIdsLongerThan255Characters() {
        String json = envelope("DealLost", VALID_DATA.get("DealLost")).replace("\"a-1\"", "\"" + "x".repeat(256) + "\"");

        assertThat(fields(read(json))).containsExactly("id");
    }

    @Test
    void aValidProposalCarriesItsThreeParametersAndPdf() {
        ProposalSent proposal = (ProposalSent) read(envelope("ProposalSent", VALID_DATA.get("ProposalSent")))
                .action().payload();

        assertThat(proposal.keyParameters()).containsExactly("price", "delivery", "warranty");
        assertThat(proposal.document().mediaType()).isEqualTo("application/pdf");
        assertThat(proposal.expectedDecisionDate()).hasToString("2025-04-01");
    }
}
