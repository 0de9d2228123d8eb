package org.salesledger.query.attribution;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.math.BigDecimal;
import java.util.List;
import org.salesledger.projections.attribution.AttributionModel;
import org.salesledger.projections.attribution.AttributionReadModel;
import org.salesledger.projections.attribution.Window;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/attribution?model=…[&from=&to=&lookbackDays=&halfLifeDays=&region=&team=&rep=]} of contract
 * §3: each channel's credited conversions and revenue per currency under one rule-based model of contract §2.
 */
@RestController
class AttributionController {

    private final AttributionReadModel attribution;

    AttributionController(AttributionReadModel attribution) {
        this.attribution = attribution;
    }

    /**
     * The answer: {@code model}, the window used ({@code halfLifeDays} only for {@code time_decay}), the channels
     * and, when something needs saying, {@code notes}.
     */
    record Answer(String model, int lookbackDays, BigDecimal halfLifeDays, List<Channel> channels,
                  List<String> notes) {
    }

    record Channel(String channel, String currency,
                   @JsonSerialize(using = ResponseDecimals.Plain.class) BigDecimal conversions,
                   @JsonSerialize(using = ResponseDecimals.Plain.class) BigDecimal revenue) {
    }

    @GetMapping("/api/v1/attribution")
    Answer attribution(@RequestParam(required = false) String model, @RequestParam(required = false) String from,
                       @RequestParam(required = false) String to,
                       @RequestParam(required = false) String lookbackDays,
                       @RequestParam(required = false) String halfLifeDays,
                       @RequestParam(required = false) String region, @RequestParam(required = false) String team,
                       @RequestParam(required = false) String rep) {
        AttributionModel chosen = AttributionParams.model(model, null);
        Window window = AttributionParams.window(lookbackDays, halfLifeDays);
        AttributionReadModel.Attribution answer = attribution.attribution(chosen, window,
                AttributionParams.selection(from, to, region, team, rep));
        List<Channel> channels = answer.channels().stream().map(c -> new Channel(c.channel(), c.currency(),
                ResponseDecimals.round(c.conversions()), ResponseDecimals.round(c.revenue()))).toList();
        return new Answer(chosen.code(), window.lookbackDays(), chosen.usesHalfLife() ? window.halfLifeDays() : null,
                channels, answer.notes());
    }
}
