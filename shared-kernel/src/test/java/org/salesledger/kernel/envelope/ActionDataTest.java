package org.salesledger.kernel.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.value.ContractLine;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.GeoPoint;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;

/** The envelope's {@code data} rendered from an action record. */
class ActionDataTest {

    private static final CustomerId C = CustomerId.of("c-1");

    static CustomerRegistered registered(Map<String, Object> additional) {
        return new CustomerRegistered(C, "Acme Medical", "east", RepId.of("rep-07"), "web", null, null, null, null,
                null, additional);
    }

    static ProposalSent proposal(BigDecimal amount) {
        return new ProposalSent(C, new Document("s3://p/1.pdf", Document.PDF), LocalDate.of(2025, 3, 31),
                List.of("price", "delivery", "warranty"), new Money(amount, "CNY"), Map.of());
    }

    static ContractSigned contract(BigDecimal amount) {
        return new ContractSigned(C, "K-1", new Money(amount, "CNY"), null, null, Map.of());
    }

    @Test
    void rendersTheNamedFieldsWithoutTheCustomerId() {
        ObjectNode data = ActionData.render(registered(Map.of()));

        assertThat(data.has("customerId")).isFalse();
        assertThat(data.toString())
                .isEqualTo("{\"name\":\"Acme Medical\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"web\"}");
    }

    @Test
    void leavesAbsentOptionalFieldsOut() {
        ObjectNode data = ActionData.render(new VisitLogged(C, "equipment", new GeoPoint(31.2, 121.5), null, null,
                null, null, Map.of()));

        assertThat(data.properties()).extracting(Map.Entry::getKey).containsExactly("contactRole", "location");
        assertThat(data.get("location").toString()).isEqualTo("{\"lat\":31.2,\"lon\":121.5}");
    }

    @Test
    void rendersNestedValuesAsTheContractNamesThem() {
        ObjectNode data = ActionData.render(new ContractSigned(C, "K-1", new Money(new BigDecimal("100.00"), "CNY"),
                List.of(new ContractLine("CT scanner", new BigDecimal("2"), new BigDecimal("50.00"), null)),
                List.of("radiology"), Map.of()));

        assertThat(data.toString()).isEqualTo("{\"contractId\":\"K-1\",\"amount\":{\"value\":100.00,\"currency\":\"CNY\"},"
                + "\"lines\":[{\"product\":\"CT scanner\",\"quantity\":2,\"unitPrice\":50.00}],"
                + "\"departments\":[\"radiology\"]}");
    }

    @Test
    void putsAdditionalFieldsBackAtTheTopLevel() {
        Map<String, Object> additional = new LinkedHashMap<>();
        additional.put("wechat", Map.of("openId", "o-1", "tags", List.of("vip", "east")));
        additional.put("score", new BigDecimal("0.50"));

        ObjectNode data = ActionData.render(registered(additional));

        assertThat(data.has("additional")).isFalse();
        assertThat(data.get("wechat").get("openId").asText()).isEqualTo("o-1");
        assertThat(data.get("wechat").get("tags").toString()).isEqualTo("[\"vip\",\"east\"]");
        assertThat(data.get("score").toString()).isEqualTo("0.50");
        assertThat(data.properties()).extracting(Map.Entry::getKey)
                .containsExactly("name", "region", "ownerRepId", "channel", "wechat", "score");
    }

    @Test
    void anAdditionalFieldNeverOverridesANamedOne() {
        ObjectNode data = ActionData.render(registered(Map.of("name", "Impostor Ltd", "region", "west")));

        assertThat(data.get("name").asText()).isEqualTo("Acme Medical");
        assertThat(data.get("region").asText()).isEqualTo("east");
    }

    @Test
    void rendersDatesAsIsoDates() {
        ObjectNode data = ActionData.render(proposal(BigDecimal.ONE));

        assertThat(data.get("expectedDecisionDate").isTextual()).isTrue();
        assertThat(data.get("expectedDecisionDate").asText()).isEqualTo("2025-03-31");
    }

    @Test
    void rendersDecimalsExactlyWithTheirScale() {
        ObjectNode data = ActionData.render(contract(new BigDecimal("1200.50")));

        assertThat(data.get("amount").get("value").decimalValue()).isEqualTo(new BigDecimal("1200.50"));
        assertThat(data.get("amount").get("value").toString()).isEqualTo("1200.50");
    }

    @Test
    void rendersA30DigitDecimalWithoutLosingADigit() throws JsonProcessingException {
        String digits = "123456789012345678901234567890.50";

        ObjectNode data = ActionData.render(proposal(new BigDecimal(digits)));

        assertThat(data.get("amount").get("value").toString()).isEqualTo(digits);
        assertThat(ActionData.mapper().writeValueAsString(data)).contains("\"value\":" + digits + ",");
    }

    @Test
    void itsMapperWritesDecimalsPlainNeverInScientificNotation() throws JsonProcessingException {
        ObjectNode data = ActionData.render(contract(new BigDecimal("0.0000001")));

        assertThat(ActionData.mapper().writeValueAsString(data)).contains("\"value\":0.0000001,");
    }
}
