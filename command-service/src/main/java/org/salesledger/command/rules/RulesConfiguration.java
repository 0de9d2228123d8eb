package org.salesledger.command.rules;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The CEL environment of rule conditions with its bounds ({@code salesledger.rules.*}, see command-service.yml). */
@Configuration
@EnableConfigurationProperties(RulesSettings.class)
class RulesConfiguration {

    @Bean
    RuleConditions ruleConditions(RulesSettings settings) {
        return new RuleConditions(new RuleConditions.Limits(settings.maxExpressionLength(), settings.maxIterations(),
                settings.maxSteps(), settings.maxEvents(), settings.maxRegexProgramSize()));
    }
}
