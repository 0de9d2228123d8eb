package org.salesledger.bench.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DataGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSameCustomersAndSeedGiveTheSameBytes() throws IOException {
        GeneratorOptions options = GeneratorOptions.of(300, 42);

        assertThat(generate(options)).isEqualTo(generate(options));
        assertThat(generate(options)).isNotEqualTo(generate(GeneratorOptions.of(300, 43)));
    }

    @Test
    void aCustomersJourneyDoesNotDependOnTheWindowItIsWrittenIn() throws IOException {
        Map<String, List<String>> byCustomerOrder = linesByCustomer(generate(GeneratorOptions.of(200, 7).withWindow(1)));
        Map<String, List<String>> interleaved = linesByCustomer(generate(GeneratorOptions.of(200, 7).withWindow(64)));

        assertThat(interleaved).isEqualTo(byCustomerOrder);
    }

    @Test
    void eachCustomerIsRegisteredFirstAndItsLinesAreInTimeOrder() throws IOException {
        Map<String, OffsetDateTime> lastTime = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (String line : lines(generate(GeneratorOptions.of(500, 1)))) {
            JsonNode envelope = JSON.readTree(line);
            String subject = envelope.get("subject").asText();
            OffsetDateTime time = OffsetDateTime.parse(envelope.get("time").asText());
            if (!lastTime.containsKey(subject)) {
                assertThat(envelope.get("type").asText()).as(line).isEqualTo("CustomerRegistered");
            } else {
                assertThat(time).as(line).isAfter(lastTime.get(subject));
            }
            lastTime.put(subject, time);
            assertThat(ids.add(envelope.get("id").asText())).as("ids are unique: " + line).isTrue();
        }
        assertThat(lastTime).hasSize(500);
    }

    @Test
    void linesOfDifferentCustomersInterleaveByTimeWithinAWindow() throws IOException {
        List<String> lines = lines(generate(GeneratorOptions.of(1000, 3).withWindow(1000)));
        OffsetDateTime previous = null;
        int customerChanges = 0;
        String previousSubject = null;
        for (String line : lines) {
            JsonNode envelope = JSON.readTree(line);
            OffsetDateTime time = OffsetDateTime.parse(envelope.get("time").asText());
            if (previous != null) {
                assertThat(time).isAfterOrEqualTo(previous);
            }
            previous = time;
            if (!envelope.get("subject").asText().equals(previousSubject)) {
                customerChanges++;
            }
            previousSubject = envelope.get("subject").asText();
        }
        assertThat(customerChanges).isGreaterThan(lines.size() / 2);
    }

    @Test
    void theDataCoversEveryActionTypeTwoCurrenciesTheSixStagesLossesAndCosts() throws IOException {
        List<JsonNode> envelopes = new ArrayList<>();
        for (String line : lines(generate(GeneratorOptions.of(2000, 5)))) {
            envelopes.add(JSON.readTree(line));
        }
        Set<String> types = envelopes.stream().map(e -> e.get("type").asText()).collect(Collectors.toSet());
        Set<String> currencies = envelopes.stream().filter(e -> e.get("type").asText().equals("ContractSigned"))
                .map(e -> e.at("/data/amount/currency").asText()).collect(Collectors.toSet());
        Set<String> objections = envelopes.stream().filter(e -> e.get("type").asText().equals("ObjectionRaised"))
                .map(e -> e.at("/data/objectionType").asText()).collect(Collectors.toSet());
        Set<String> channels = envelopes.stream().filter(e -> e.get("type").asText().equals("TouchpointRecorded"))
                .map(e -> e.at("/data/channel").asText()).collect(Collectors.toSet());

        assertThat(types).containsExactlyInAnyOrder("CustomerRegistered", "VisitLogged", "NeedsConfirmed",
                "ProposalSent", "ObjectionRaised", "TrialRequested", "ContractSigned", "PaymentReceived", "DealLost",
                "TouchpointRecorded", "CostIncurred", "CustomerActionObserved");
        assertThat(currencies).containsExactlyInAnyOrder("CNY", "USD");
        assertThat(objections).contains("PRICE", "COMPETITOR");
        assertThat(channels.size()).isGreaterThan(5);
        assertThat(envelopes.size()).isBetween(2000 * 6, 2000 * 16);
    }

    @Test
    void paymentsFollowTheirContractInItsCurrencyAndAddUpToIt() throws IOException {
        Map<String, java.math.BigDecimal> signed = new HashMap<>();
        Map<String, java.math.BigDecimal> paid = new HashMap<>();
        Map<String, String> currency = new HashMap<>();
        Set<String> signedLongBeforeTheEnd = new HashSet<>();
        for (String line : lines(generate(GeneratorOptions.of(1000, 9).withPeriod(java.time.LocalDate.of(2020, 1, 1),
                240)))) {
            JsonNode e = JSON.readTree(line);
            JsonNode data = e.get("data");
            switch (e.get("type").asText()) {
                case "ContractSigned" -> {
                    signed.put(data.get("contractId").asText(), new java.math.BigDecimal(data.at("/amount/value").asText()));
                    currency.put(data.get("contractId").asText(), data.at("/amount/currency").asText());
                    if (OffsetDateTime.parse(e.get("time").asText()).getYear() < 2039) {
                        signedLongBeforeTheEnd.add(data.get("contractId").asText());
                    }
                    java.math.BigDecimal lines = java.math.BigDecimal.ZERO;
                    for (JsonNode item : data.get("lines")) {
                        lines = lines.add(new java.math.BigDecimal(item.get("unitPrice").asText())
                                .multiply(item.get("quantity").decimalValue()));
                    }
                    assertThat(lines).isEqualByComparingTo(data.at("/amount/value").asText());
                }
                case "PaymentReceived" -> {
                    String contract = data.get("contractId").asText();
                    assertThat(signed).as("paid after signing").containsKey(contract);
                    assertThat(data.at("/amount/currency").asText()).isEqualTo(currency.get(contract));
                    paid.merge(contract, new java.math.BigDecimal(data.at("/amount/value").asText()),
                            java.math.BigDecimal::add);
                }
                default -> { }
            }
        }
        assertThat(signedLongBeforeTheEnd).hasSizeGreaterThan(100);
        // payments of contracts signed just before the end of the period are cut off with it
        signed.forEach((contract, amount) -> {
            if (signedLongBeforeTheEnd.contains(contract)) {
                assertThat(paid.get(contract)).as(contract).isEqualByComparingTo(amount);
            } else if (paid.containsKey(contract)) {
                assertThat(paid.get(contract)).as(contract).isLessThanOrEqualTo(amount);
            }
        });
    }

    @Test
    void maxEventsCutsTheStreamAtExactlyThatManyLines() throws IOException {
        assertThat(lines(generate(GeneratorOptions.of(1000, 1).withMaxEvents(1234)))).hasSize(1234);
    }

    @Test
    void theSummaryCountsTheCustomersRegisteredWhenMaxEventsCutsAWindow() throws IOException {
        // 500 customers in windows of 100 (about 1,070 lines each); 2,500 lines end inside the third window
        GeneratorOptions options = GeneratorOptions.of(500, 3).withWindow(100).withMaxEvents(2500);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataGenerator.Summary summary = new DataGenerator(options).write(out);

        assertThat(summary.lines()).isEqualTo(2500);
        assertThat(summary.customers()).isEqualTo(300);
        assertThat(summary.registeredCustomers()).isBetween(201L, 299L);
        Set<String> registered = new HashSet<>();
        for (String line : lines(out.toString(StandardCharsets.UTF_8))) {
            JsonNode envelope = JSON.readTree(line);
            if (envelope.get("type").asText().equals("CustomerRegistered")) {
                registered.add(envelope.get("subject").asText());
            }
        }
        Set<String> expected = new HashSet<>();
        for (long index = 0; index < summary.registeredCustomers(); index++) {
            expected.add("c-" + index);
        }
        assertThat(registered).as("customers register in index order: those written are c-0 … c-(n-1)")
                .isEqualTo(expected);
    }

    @Test
    void refusesOptionsItCannotUseWithAMessage() {
        assertThatThrownBy(() -> GeneratorOptions.parse("--seed", "1"))
                .hasMessageContaining("--customers");
        assertThatThrownBy(() -> GeneratorOptions.parse("--customers", "ten"))
                .hasMessageContaining("--customers").hasMessageContaining("'ten' is not a whole number");
        assertThatThrownBy(() -> GeneratorOptions.parse("--customers", "10", "--colour", "red"))
                .hasMessageContaining("Unknown option").hasMessageContaining("--colour");
        assertThatThrownBy(() -> GeneratorOptions.parse("--customers", "0"))
                .hasMessageContaining("at least 1");
    }

    static String generate(GeneratorOptions options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DataGenerator(options).write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<String> lines(String ndjson) {
        return ndjson.lines().toList();
    }

    private static Map<String, List<String>> linesByCustomer(String ndjson) throws IOException {
        Map<String, List<String>> byCustomer = new HashMap<>();
        for (String line : lines(ndjson)) {
            byCustomer.computeIfAbsent(JSON.readTree(line).get("subject").asText(), s -> new ArrayList<>()).add(line);
        }
        return byCustomer;
    }
}
