package org.salesledger.command.rules;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The CEL environment of rule conditions with its bounds ({@code salesledger.rules.*}, see command-service.yml). */
@Configuration
class RulesConfiguration {

    @Bean
    RuleConditions ruleConditions(
            @Value("${salesledger.rules.max-expression-length:4096}") int maxExpressionLength,
            @Value("${salesledger.rules.max-iterations:100000}") int maxIterations,
            @Value("${salesledger.rules.max-steps:1000000}") long maxSteps,
            @Value("${salesledger.rules.max-events:1000}") int maxEvents,
            @Value("${salesledger.rules.max-regex-program-size:1000}") int maxRegexProgramSize) {
        return new RuleConditions(new RuleConditions.Limits(maxExpressionLength, maxIterations, maxSteps, maxEvents,
                maxRegexProgramSize));
    }
}
