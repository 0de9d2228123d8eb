package org.salesledger.kernel.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;

class ActionDataTest {

    @Test
    void rendersTheNamedFieldsWithoutCustomerIdAndLeavesAbsentOnesOut() {
        ObjectNode data = ActionData.render(new CustomerRegistered(CustomerId.of("c-1"), "Acme", "east",
                RepId.of("rep-07"), "web", null, null, null, null, null, Map.of()));

        assertThat(data.toString())
                .isEqualTo("{\"name\":\"Acme\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"web\"}");
    }

    @Test
    void putsUnnamedFieldsBackBesideTheNamedOnesWithoutOverridingThem() {
        ObjectNode data = ActionData.render(new CustomerRegistered(CustomerId.of("c-1"), "Acme", "east",
                RepId.of("rep-07"), "web", null, null, null, null, null,
                Map.of("wechat", Map.of("openId", "o-1"), "name", "impostor")));

        assertThat(data.get("wechat").get("openId").asText()).isEqualTo("o-1");
        assertThat(data.get("name").asText()).isEqualTo("Acme");
        assertThat(data.has("additional")).isFalse();
    }

    @Test
    void rendersDatesAsIsoAndDecimalsExactly() {
        ObjectNode data = ActionData.render(new ProposalSent(CustomerId.of("c-1"), new Document("u", Document.PDF),
                LocalDate.of(2025, 3, 31), List.of("a", "b", "c"),
                new Money(new BigDecimal("123456789012345678901234567890.50"), "CNY"), Map.of()));

        assertThat(data.get("expectedDecisionDate").asText()).isEqualTo("2025-03-31");
        assertThat(data.get("amount").get("value").toString()).isEqualTo("123456789012345678901234567890.50");
    }
}
