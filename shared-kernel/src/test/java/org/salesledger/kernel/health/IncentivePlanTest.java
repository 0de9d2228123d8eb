package org.salesledger.kernel.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncentivePlanTest {

    private static IncentivePlan.Parsed parse(String json) throws Exception {
        return IncentivePlan.parse(new ObjectMapper().readTree(json));
    }

    @Test
    void an_empty_plan_is_the_contracts_default() throws Exception {
        IncentivePlan plan = parse("{\"kind\":\"INCENTIVE\"}").plan();
        assertThat(plan).isEqualTo(IncentivePlan.DEFAULT);
        assertThat(plan.baseRate()).isEqualByComparingTo("0.05");
        assertThat(plan.newCustomer()).isEqualTo(NewCustomerDefinition.FIRST_ORDER);
        assertThat(plan.newCustomerWindow()).isEqualTo(Duration.ofDays(90));
        assertThat(plan.highMarginPct()).isEqualByComparingTo("30");
        assertThat(plan.followUpWithin()).isEqualTo(Duration.ofHours(48));
        assertThat(plan.taskClosureWithin()).isEqualTo(Duration.ofDays(7));
        assertThat(plan.keyActionTypes()).containsExactly("ProposalSent", "MessageSent");
        assertThat(plan.target(HealthMetric.NEW_CUSTOMER_SHARE).target()).isEqualByComparingTo("0.35");
        assertThat(plan.target(HealthMetric.NEW_CUSTOMER_SHARE).points()).isEqualByComparingTo("2.5");
        assertThat(plan.target(HealthMetric.HIGH_MARGIN_SHARE).target()).isEqualByComparingTo("0.40");
        assertThat(plan.target(HealthMetric.HIGH_MARGIN_SHARE).points()).isEqualByComparingTo("1.5");
        assertThat(plan.target(HealthMetric.CROSS_DEPARTMENT_DEALS).target()).isEqualByComparingTo("2");
        assertThat(plan.target(HealthMetric.CROSS_DEPARTMENT_DEALS).points()).isEqualByComparingTo("1.2");
        assertThat(plan.target(HealthMetric.FOLLOW_UP_TIMELINESS).target()).isEqualByComparingTo("0.80");
        assertThat(plan.target(HealthMetric.CUSTOMER_ACTION_COMPLETION_RATE).points()).isEqualByComparingTo("2.0");
        assertThat(plan.target(HealthMetric.TASK_CLOSURE_RATE).target()).isEqualByComparingTo("0.60");
    }

    @Test
    void given_fields_replace_the_defaults_and_the_others_stay() throws Exception {
        IncentivePlan plan = parse("""
                {"kind":"INCENTIVE","baseRate":"0.04","newCustomer":"FIRST_EFFECTIVE_CONTACT",
                 "newCustomerWindow":"P30D","keyActionTypes":["ProposalSent"],
                 "targets":{"crossDepartmentDeals":{"target":3},"taskClosureRate":{"points":0.5}}}
                """).plan();
        assertThat(plan.baseRate()).isEqualByComparingTo("0.04");
        assertThat(plan.newCustomer()).isEqualTo(NewCustomerDefinition.FIRST_EFFECTIVE_CONTACT);
        assertThat(plan.newCustomerWindow()).isEqualTo(Duration.ofDays(30));
        assertThat(plan.keyActionTypes()).containsExactly("ProposalSent");
        assertThat(plan.target(HealthMetric.CROSS_DEPARTMENT_DEALS))
                .isEqualTo(new IncentivePlan.Target(new BigDecimal("3"), new BigDecimal("1.2")));
        assertThat(plan.target(HealthMetric.TASK_CLOSURE_RATE).target()).isEqualByComparingTo("0.60");
        assertThat(plan.target(HealthMetric.TASK_CLOSURE_RATE).points()).isEqualByComparingTo("0.5");
        assertThat(plan.target(HealthMetric.NEW_CUSTOMER_SHARE)).isEqualTo(IncentivePlan.DEFAULT.target(HealthMetric.NEW_CUSTOMER_SHARE));
    }

    @Test
    void every_bad_field_is_named_at_once_and_no_plan_is_made() throws Exception {
        IncentivePlan.Parsed parsed = parse("""
                {"kind":"INCENTIVE","baseRate":2,"newCustomer":"SOMETIMES","newCustomerWindow":"90 days",
                 "highMarginPct":"abc","followUpWithin":"-PT1H","keyActionTypes":["ProposalSent","Lunch"],
                 "targets":{"happiness":{"target":1},"newCustomerShare":{"target":1.5,"bonus":1},
                            "taskClosureRate":{"points":-1}},
                 "when":"true"}
                """);
        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.plan()).isNull();
        assertThat(parsed.errors()).extracting(IncentivePlan.FieldError::field).containsExactlyInAnyOrder(
                "when", "baseRate", "newCustomer", "newCustomerWindow", "highMarginPct", "followUpWithin",
                "keyActionTypes[1]", "targets.happiness", "targets.newCustomerShare.bonus",
                "targets.newCustomerShare.target", "targets.taskClosureRate.points");
        assertThat(parsed.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }

    @Test
    void a_window_longer_than_ten_years_is_refused_by_name() throws Exception {
        assertThat(parse("{\"followUpWithin\":\"P3650D\"}").ok()).isTrue();
        assertThat(parse("{\"followUpWithin\":\"P3651D\",\"taskClosureWithin\":\"PT99999999999H\","
                + "\"newCustomerWindow\":\"P200000000D\"}").errors())
                .extracting(IncentivePlan.FieldError::field)
                .containsExactlyInAnyOrder("followUpWithin", "taskClosureWithin", "newCustomerWindow");
    }

    @Test
    void a_count_target_may_exceed_one_but_a_share_may_not() throws Exception {
        assertThat(parse("{\"targets\":{\"crossDepartmentDeals\":{\"target\":5}}}").ok()).isTrue();
        assertThat(parse("{\"targets\":{\"followUpTimeliness\":{\"target\":1.01}}}").errors())
                .extracting(IncentivePlan.FieldError::field).containsExactly("targets.followUpTimeliness.target");
    }

    @Test
    void a_plan_reads_the_same_from_a_stored_rule_map() {
        IncentivePlan.Parsed parsed = IncentivePlan.fromRule(Map.of("kind", "INCENTIVE", "baseRate", 0.06,
                "targets", Map.of("highMarginShare", Map.of("target", 0.5))));
        assertThat(parsed.plan().baseRate()).isEqualByComparingTo("0.06");
        assertThat(parsed.plan().target(HealthMetric.HIGH_MARGIN_SHARE).target()).isEqualByComparingTo("0.5");
    }

    @Test
    void the_new_customer_share_must_beat_its_target_the_others_reach_it() {
        assertThat(HealthMetric.NEW_CUSTOMER_SHARE.met(new BigDecimal("0.35"), new BigDecimal("0.35"))).isFalse();
        assertThat(HealthMetric.NEW_CUSTOMER_SHARE.met(new BigDecimal("0.351"), new BigDecimal("0.35"))).isTrue();
        assertThat(HealthMetric.TASK_CLOSURE_RATE.met(new BigDecimal("0.6"), new BigDecimal("0.60"))).isTrue();
        assertThat(HealthMetric.TASK_CLOSURE_RATE.met(null, BigDecimal.ZERO)).isFalse();
    }
}
