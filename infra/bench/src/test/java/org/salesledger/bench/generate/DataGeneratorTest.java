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
    void customersAreOwnedBy210Reps_sevenRegionsOfThreeTeamsOfTen_soTheHealthRankingRanksAbout200() throws IOException {
        Set<String> owners = new HashSet<>();
        for (String line : lines(generate(GeneratorOptions.of(5000, 3)))) {
            JsonNode envelope = JSON.readTree(line);
            if (envelope.get("type").asText().equals("CustomerRegistered")) {
                owners.add(envelope.get("data").get("ownerRepId").asText());
            }
        }
        assertThat(owners).hasSize(7 * 3 * 10).allMatch(rep -> rep.matches("rep-[a-z]+-[1-3]-([1-9]|10)"));
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
                "TouchpointRecorded", "CostIncurred", "CustomerActionObserved", "MessageSent");
        assertThat(currencies).containsExactlyInAnyOrder("CNY", "USD");
        assertThat(objections).contains("PRICE", "COMPETITOR");
        assertThat(channels.size()).isGreaterThan(5);
        assertThat(envelopes.size()).isBetween(2000 * 6, 2000 * 16);
    }

    /**
     * What the health metrics of contract §8 count is in the data, both ways: messages read and unread, contracts
     * with and without lines, margins on both sides of 30 % (and lines without one), one to three departments or
     * none, and customer signals answered by a rep within 48 hours and not.
     */
    @Test
    void theDataExercisesEveryHealthMetricBothWays() throws IOException {
        Map<String, List<JsonNode>> byCustomer = new HashMap<>();
        for (String line : lines(generate(GeneratorOptions.of(2000, 5)))) {
            JsonNode e = JSON.readTree(line);
            byCustomer.computeIfAbsent(e.get("subject").asText(), s -> new ArrayList<>()).add(e);
        }
        int messages = 0;
        int read = 0;
        int contracts = 0;
        int withLines = 0;
        int highMarginLines = 0;
        int lowMarginLines = 0;
        int linesWithoutMargin = 0;
        java.math.BigDecimal marginSum = java.math.BigDecimal.ZERO;
        int withoutDepartments = 0;
        Set<Integer> departmentCounts = new HashSet<>();
        int signals = 0;
        int answeredWithin48h = 0;
        for (List<JsonNode> actions : byCustomer.values()) {
            Map<String, String> typeById = new HashMap<>();
            for (JsonNode e : actions) {
                typeById.put(e.get("id").asText(), e.get("type").asText());
            }
            for (JsonNode e : actions) {
                JsonNode data = e.get("data");
                switch (e.get("type").asText()) {
                    case "MessageSent" -> {
                        messages++;
                        assertThat(e.get("actor").asText()).startsWith("rep-");
                        assertThat(data.get("channel").asText()).isIn("wechat", "email", "sms", "phone", "paper");
                    }
                    case "CustomerActionObserved" -> {
                        if (data.get("kind").asText().equals("message_read")) {
                            read++;
                            assertThat(typeById.get(data.get("refActionId").asText())).as("a receipt names its message")
                                    .isEqualTo("MessageSent");
                        }
                    }
                    case "ContractSigned" -> {
                        contracts++;
                        if (data.has("lines")) {
                            withLines++;
                            for (JsonNode item : data.get("lines")) {
                                if (!item.has("grossMarginPct")) {
                                    linesWithoutMargin++;
                                    continue;
                                }
                                java.math.BigDecimal margin = item.get("grossMarginPct").decimalValue();
                                marginSum = marginSum.add(margin);
                                if (margin.compareTo(java.math.BigDecimal.valueOf(30)) >= 0) {
                                    highMarginLines++;
                                } else {
                                    lowMarginLines++;
                                }
                            }
                        }
                        if (data.has("departments")) {
                            departmentCounts.add(data.get("departments").size());
                        } else {
                            withoutDepartments++;
                        }
                    }
                    default -> { }
                }
                boolean signal = e.get("type").asText().equals("ObjectionRaised")
                        || e.get("type").asText().equals("CustomerActionObserved");
                if (signal) {
                    signals++;
                    OffsetDateTime at = OffsetDateTime.parse(e.get("time").asText());
                    boolean answered = actions.stream().anyMatch(a -> {
                        OffsetDateTime t = OffsetDateTime.parse(a.get("time").asText());
                        return !a.get("actor").asText().equals("system")
                                && !a.get("type").asText().equals("CustomerActionObserved")
                                && t.isAfter(at) && !t.isAfter(at.plusHours(48));
                    });
                    if (answered) {
                        answeredWithin48h++;
                    }
                }
            }
        }
        int marginLines = highMarginLines + lowMarginLines;

        assertThat(messages).isGreaterThan(1000);
        assertThat(read).isBetween(messages / 3, messages * 3 / 4);
        assertThat(withLines).isBetween(contracts * 3 / 4, contracts * 19 / 20);
        assertThat(highMarginLines).isBetween(marginLines / 3, marginLines * 2 / 3);
        assertThat(marginSum.divide(java.math.BigDecimal.valueOf(marginLines), java.math.MathContext.DECIMAL64))
                .isBetween(java.math.BigDecimal.valueOf(27), java.math.BigDecimal.valueOf(33));
        assertThat(linesWithoutMargin).isPositive();
        assertThat(departmentCounts).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(withoutDepartments).isBetween(contracts / 20, contracts / 4);
        assertThat(answeredWithin48h).isBetween(signals / 4, signals * 3 / 4);
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
                    if (data.has("lines")) {
                        java.math.BigDecimal lines = java.math.BigDecimal.ZERO;
                        for (JsonNode item : data.get("lines")) {
                            lines = lines.add(new java.math.BigDecimal(item.get("unitPrice").asText())
                                    .multiply(item.get("quantity").decimalValue()));
                        }
                        assertThat(lines).isEqualByComparingTo(data.at("/amount/value").asText());
                    }
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
        // 500 customers in windows of 100 (about 1,240 lines each); 3,000 lines end inside the third window
        GeneratorOptions options = GeneratorOptions.of(500, 3).withWindow(100).withMaxEvents(3000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DataGenerator.Summary summary = new DataGenerator(options).write(out);

        assertThat(summary.lines()).isEqualTo(3000);
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
