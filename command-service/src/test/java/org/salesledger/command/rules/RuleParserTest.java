package org.salesledger.command.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.salesledger.kernel.lifecycle.Stage;

/** What a rule body may be (contract §6), and how a bad one is explained, field by field. */
class RuleParserTest {

    private static final RuleConditions CEL = new RuleConditions(RuleConditions.Limits.DEFAULTS);
    private static final ObjectMapper JSON = new ObjectMapper();

    static RuleParser.Parsed parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return RuleParser.parse(node, CEL, script -> !script.equals("missing-script"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<String> fields(RuleParser.Parsed parsed) {
        return parsed.errors().stream().map(RuleError::field).toList();
    }

    // ---- every kind ----

    @Test
    void readsATagRule() {
        RuleParser.Parsed parsed = parse("""
                {"kind": "TAG", "tag": "high-bargaining", "description": "price fighters",
                 "when": "events.filter(e, e.type == 'ObjectionRaised' && e.data.objectionType == 'PRICE' && e.time > now - duration('720h')).size() >= 2"}""");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.definition()).isEqualTo(new RuleDefinition.Tag("events.filter(e, e.type == 'ObjectionRaised' "
                + "&& e.data.objectionType == 'PRICE' && e.time > now - duration('720h')).size() >= 2", "high-bargaining",
                "price fighters"));
        assertThat(parsed.when().expression()).isEqualTo("events.filter(e, e.type == 'ObjectionRaised' "
                + "&& e.data.objectionType == 'PRICE' && e.time > now - duration('720h')).size() >= 2");
        assertThat(parsed.when().overVisit()).isFalse();
        assertThat(parsed.when().program()).isNotNull();
        assertThat(parsed.body()).containsEntry("tag", "high-bargaining");
    }

    @Test
    void readsAClassificationWithItsClassesInOrder() {
        RuleParser.Parsed parsed = parse("""
                {"kind": "CLASSIFY", "classes": [
                  {"class": "A", "when": "events.filter(e, e.type == 'CustomerActionObserved' && e.data.kind == 'INQUIRY').size() >= 3 && events.exists(e, has(e.data.budget))"},
                  {"class": "B", "when": "customer.channel == 'exhibition'"},
                  {"class": "C", "when": "true"}]}""");

        assertThat(parsed.errors()).isEmpty();
        RuleDefinition.Classify classify = (RuleDefinition.Classify) parsed.definition();
        assertThat(classify.classes()).extracting(RuleDefinition.ClassCase::customerClass).containsExactly("A", "B", "C");
        assertThat(parsed.classes()).hasSize(3);
    }

    @Test
    void readsTheTimeDrivenKindsWithTheirSettings() {
        RuleDefinition.Escalate escalate = (RuleDefinition.Escalate) parse("""
                {"kind": "ESCALATE", "stage": "PROPOSAL_SENT", "after": "PT72H", "to": "regional-director",
                 "unless": ["CustomerActionObserved", "ContractSigned"]}""").definition();
        RuleDefinition.Idle idle = (RuleDefinition.Idle) parse("""
                {"kind": "IDLE", "after": "P7D", "to": "supervisor"}""").definition();
        RuleDefinition.Pool pool = (RuleDefinition.Pool) parse("""
                {"kind": "POOL", "after": "P30D", "maxAfter": "P90D", "afterByClass": {"A": "P60D"},
                 "remindBefore": "P3D", "reclaimLockout": "P14D", "dailyClaimLimit": 5, "maxCustomersPerRep": 200,
                 "when": "customer.stage != 'CONTRACT_SIGNED'"}""").definition();
        RuleDefinition.Collection collection = (RuleDefinition.Collection) parse("""
                {"kind": "COLLECTION", "after": "PT5S"}""").definition();

        assertThat(escalate.stage()).isEqualTo(Stage.PROPOSAL_SENT);
        assertThat(escalate.after()).isEqualTo(Duration.ofHours(72));
        assertThat(escalate.unless()).containsExactly("CustomerActionObserved", "ContractSigned");
        assertThat(idle.after()).isEqualTo(Duration.ofDays(7));
        assertThat(pool.afterByClass()).containsEntry("A", Duration.ofDays(60));
        assertThat(pool.dailyClaimLimit()).isEqualTo(5);
        assertThat(pool.when()).isEqualTo("customer.stage != 'CONTRACT_SIGNED'");
        assertThat(collection.after()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void readsATalkTrackRuleWhoseConditionIsOverTheVisit() {
        RuleParser.Parsed parsed = parse("""
                {"kind": "TALK_TRACK", "scripts": ["cert-1", "cert-2", "cert-3"], "alertAfterUnused": 2,
                 "when": "visit.data.contactRole == 'equipment' && 'REGISTRATION_CERTIFICATE' in visit.data.objections"}""");

        assertThat(parsed.errors()).isEmpty();
        RuleDefinition.TalkTrack talkTrack = (RuleDefinition.TalkTrack) parsed.definition();
        assertThat(talkTrack.scripts()).containsExactly("cert-1", "cert-2", "cert-3");
        assertThat(talkTrack.alertAfterUnused()).isEqualTo(2);
        assertThat(talkTrack.to()).isEqualTo("supervisor");
    }

    // ---- bad bodies ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no kind                  | {\"when\": \"true\"}                                     | kind",
            "unknown kind             | {\"kind\": \"TAGGING\"}                                  | kind",
            "tag without when         | {\"kind\": \"TAG\", \"tag\": \"x\"}                       | when",
            "tag without tag          | {\"kind\": \"TAG\", \"when\": \"true\"}                   | tag",
            "tag with spaces          | {\"kind\": \"TAG\", \"when\": \"true\", \"tag\": \"a b\"} | tag",
            "misspelt field           | {\"kind\": \"IDLE\", \"after\": \"P7D\", \"too\": \"x\"}  | too",
            "field of another kind    | {\"kind\": \"IDLE\", \"after\": \"P7D\", \"tag\": \"x\"}  | tag",
            "duration in days, not ISO| {\"kind\": \"IDLE\", \"after\": \"7 days\"}               | after",
            "months are not a duration| {\"kind\": \"COLLECTION\", \"after\": \"P1M\"}            | after",
            "negative duration        | {\"kind\": \"COLLECTION\", \"after\": \"-PT5S\"}          | after",
            "final stage              | {\"kind\": \"ESCALATE\", \"stage\": \"LOST\", \"after\": \"PT1H\", \"to\": \"x\"} | stage",
            "unknown unless type      | {\"kind\": \"ESCALATE\", \"stage\": \"PROPOSAL_SENT\", \"after\": \"PT1H\", \"to\": \"x\", \"unless\": [\"CustomerTagged\"]} | unless[0]",
            "empty classes            | {\"kind\": \"CLASSIFY\", \"classes\": []}                | classes",
            "class twice              | {\"kind\": \"CLASSIFY\", \"classes\": [{\"class\": \"A\", \"when\": \"true\"}, {\"class\": \"A\", \"when\": \"false\"}]} | classes[1].class",
            "class without when       | {\"kind\": \"CLASSIFY\", \"classes\": [{\"class\": \"A\"}]} | classes[0].when",
            "zero unused alerts       | {\"kind\": \"TALK_TRACK\", \"when\": \"true\", \"scripts\": [\"s\"], \"alertAfterUnused\": 0} | alertAfterUnused",
            "unknown script           | {\"kind\": \"TALK_TRACK\", \"when\": \"true\", \"scripts\": [\"missing-script\"]} | scripts[0]",
            "pool max below after     | {\"kind\": \"POOL\", \"after\": \"P30D\", \"maxAfter\": \"P7D\"} | maxAfter",
            "pool bad class period    | {\"kind\": \"POOL\", \"after\": \"P30D\", \"afterByClass\": {\"A\": \"soon\"}} | afterByClass.A"})
    void refusesABadBodyNamingTheField(String name, String body, String field) {
        RuleParser.Parsed parsed = parse(body);

        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.definition()).isNull();
        assertThat(fields(parsed)).contains(field);
        assertThat(parsed.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }

    @Test
    void reportsEveryErrorAtOnce() {
        RuleParser.Parsed parsed = parse("""
                {"kind": "ESCALATE", "stage": "NOWHERE", "after": "later", "unless": "x"}""");

        assertThat(fields(parsed)).containsExactlyInAnyOrder("stage", "after", "to", "unless");
    }

    // ---- CEL ----

    @Test
    void aSyntaxErrorGivesItsLineAndColumnAndCelsMessage() {
        RuleParser.Parsed parsed = parse("""
                {"kind": "TAG", "tag": "x", "when": "customer.region == 'east' &&\\n  events.size() > "}""");

        assertThat(parsed.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("when");
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo(19);
            assertThat(e.message()).contains("mismatched input");
        });
    }

    @Test
    void anUnknownFieldOfTheCustomerIsATypeError() {
        RuleParser.Parsed parsed = parse("""
                {"kind": "TAG", "tag": "x", "when": "customer.regoin == 'east'"}""");

        assertThat(parsed.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isEqualTo(9);
            assertThat(e.message()).contains("undefined field 'regoin'");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"customer.name", "events.size()", "now"})
    void aConditionMustBeBoolean(String expression) {
        RuleParser.Parsed parsed = parse("{\"kind\": \"TAG\", \"tag\": \"x\", \"when\": \"" + expression + "\"}");

        assertThat(parsed.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("bool"));
    }

    @Test
    void onlyTalkTrackConditionsSeeTheVisit() {
        RuleParser.Parsed tag = parse("""
                {"kind": "TAG", "tag": "x", "when": "visit.data.contactRole == 'equipment'"}""");

        assertThat(tag.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("visit"));
    }

    @Test
    void anExpressionOverTheLengthLimitIsRefused() {
        String longExpression = "true" + " && true".repeat(600);
        RuleParser.Parsed parsed = parse("{\"kind\": \"TAG\", \"tag\": \"x\", \"when\": \"" + longExpression + "\"}");

        assertThat(parsed.errors()).isNotEmpty();
        assertThat(parsed.errors().get(0).message()).containsIgnoringCase("size");
    }

    // ---- INCENTIVE (contract §8) ----

    /** As the rules API reads a body: decimals exactly. */
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static RuleParser.Parsed parseExactly(String body) {
        try {
            return RuleParser.parse(EXACT.readTree(body), CEL, script -> true);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsAnIncentivePlanWhoseAbsentFieldsTakeTheContractsDefaults() {
        RuleParser.Parsed parsed = parseExactly("""
                {"kind": "INCENTIVE", "description": "2027 plan", "baseRate": 0.04, "newCustomer": "FIRST_EFFECTIVE_CONTACT",
                 "targets": {"crossDepartmentDeals": {"target": 3, "points": 1.75}}}""");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.when()).isNull();
        RuleDefinition.Incentive incentive = (RuleDefinition.Incentive) parsed.definition();
        assertThat(incentive.kind()).isEqualTo(RuleKind.INCENTIVE);
        assertThat(incentive.description()).isEqualTo("2027 plan");
        assertThat(incentive.plan().baseRate()).isEqualByComparingTo("0.04");
        assertThat(incentive.plan().newCustomer().name()).isEqualTo("FIRST_EFFECTIVE_CONTACT");
        assertThat(incentive.plan().newCustomerWindow()).isEqualTo(Duration.ofDays(90));
        assertThat(incentive.plan().followUpWithin()).isEqualTo(Duration.ofHours(48));
        assertThat(incentive.plan().keyActionTypes()).containsExactly("ProposalSent", "MessageSent");
        assertThat(incentive.plan().target(org.salesledger.kernel.health.HealthMetric.CROSS_DEPARTMENT_DEALS).points())
                .isEqualByComparingTo("1.75");
        assertThat(incentive.plan().target(org.salesledger.kernel.health.HealthMetric.NEW_CUSTOMER_SHARE).points())
                .isEqualByComparingTo("2.5");
        assertThat(parse("{\"kind\": \"INCENTIVE\"}").errors()).isEmpty();
    }

    @Test
    void keepsAnIncentivePlansDecimalsExactInTheStoredBody() {
        RuleParser.Parsed parsed = parseExactly("""
                {"kind": "INCENTIVE", "baseRate": 0.012345678901,
                 "targets": {"highMarginShare": {"target": 0.400000000001, "points": 2.123456789012}}}""");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.body().get("baseRate")).isEqualTo(new java.math.BigDecimal("0.012345678901"));
        @SuppressWarnings("unchecked")
        java.util.Map<String, java.util.Map<String, Object>> targets =
                (java.util.Map<String, java.util.Map<String, Object>>) parsed.body().get("targets");
        assertThat(targets.get("highMarginShare")).containsEntry("target", new java.math.BigDecimal("0.400000000001"))
                .containsEntry("points", new java.math.BigDecimal("2.123456789012"));
        assertThat(((RuleDefinition.Incentive) parsed.definition()).plan()
                .target(org.salesledger.kernel.health.HealthMetric.HIGH_MARGIN_SHARE).target())
                .isEqualByComparingTo("0.400000000001");
    }

    @Test
    void refusesAConditionOnAnIncentivePlanOnceAndNothingElse() {
        RuleParser.Parsed parsed = parse("""
                {"kind": "INCENTIVE", "when": "customer.region == 'east'"}""");

        assertThat(parsed.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("when");
            assertThat(e.message()).contains("no condition", "every rep");
        });
    }

    @Test
    void refusesEveryBadFieldOfAnIncentivePlanAtOnceByItsPath() {
        RuleParser.Parsed parsed = parseExactly("""
                {"kind": "INCENTIVE", "baseRate": 1.5, "newCustomer": "FIRST_HUG", "followUpWithin": "two days",
                 "keyActionTypes": ["ProposalSent", "CustomerActionObserved"], "bonus": 3, "description": 7,
                 "targets": {"newCustomerShare": {"points": -1}, "happiness": {"target": 1},
                             "taskClosureRate": {"target": 1.2, "weight": 2}}}""");

        assertThat(fields(parsed)).containsExactlyInAnyOrder("description", "bonus", "baseRate", "newCustomer",
                "followUpWithin", "keyActionTypes[1]", "targets.newCustomerShare.points", "targets.happiness",
                "targets.taskClosureRate.weight", "targets.taskClosureRate.target");
        assertThat(parsed.definition()).isNull();
        assertThat(parsed.body()).isEmpty();
    }
}
