package org.salesledger.projections.attribution;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The attribution settings of this process:
 * <ul>
 *   <li>{@code salesledger.attribution.touch-types} — the actions that count as touches (default
 *       {@value AttributionDefinition#DEFAULT_TOUCH_TYPES}); e.g. add {@code VisitLogged=field_visit} to count
 *       visits as the channel {@code field_visit};</li>
 *   <li>{@code salesledger.attribution.precomputed-windows} — the {@code lookbackDays/halfLifeDays} windows whose
 *       credit is kept precomputed (default {@code 90/7}); other windows are computed from the journeys when
 *       asked.</li>
 * </ul>
 * Both are applied by the projection when it writes, so a change takes effect with {@code rebuild attribution}.
 * A setting that cannot be read stops the start with a message naming it.
 */
@EnableConfigurationProperties(AttributionProperties.class)
@Component
public class AttributionSettings {

    private final AttributionDefinition definition;

    @Autowired
    public AttributionSettings(AttributionProperties properties) {
        this.definition = AttributionDefinition.parse(properties.touchTypes(), properties.precomputedWindows());
    }

    public AttributionSettings(AttributionDefinition definition) {
        this.definition = definition;
    }

    public AttributionDefinition definition() {
        return definition;
    }
}
