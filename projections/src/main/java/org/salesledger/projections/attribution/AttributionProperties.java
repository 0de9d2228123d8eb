package org.salesledger.projections.attribution;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The attribution read model's settings as written ({@code salesledger.attribution.*}); {@link AttributionSettings}
 * holds them parsed. Both are applied when the read model is written: a change takes effect with
 * {@code rebuild attribution}.
 *
 * @param touchTypes         the actions that count as touches, with their channel where it is not the action's own
 *                           (e.g. add {@code VisitLogged=field_visit})
 * @param precomputedWindows the {@code lookbackDays/halfLifeDays} windows whose credit is kept precomputed
 */
@ConfigurationProperties("salesledger.attribution")
public record AttributionProperties(@DefaultValue(AttributionDefinition.DEFAULT_TOUCH_TYPES) String touchTypes,
                                    @DefaultValue(AttributionDefinition.DEFAULT_WINDOWS) String precomputedWindows) {
}
