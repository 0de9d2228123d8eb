package org.salesledger.query.attribution;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Permission;
import org.salesledger.kernel.access.Scope;
import org.salesledger.projections.attribution.AttributionModel;
import org.salesledger.projections.attribution.AttributionReadModel;
import org.salesledger.projections.attribution.Window;
import org.salesledger.projections.attribution.datadriven.DataDrivenModel;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/attribution?model=…[&from=&to=&lookbackDays=&halfLifeDays=&order=&region=&team=&rep=]} of
 * contract §3: each channel's credited conversions and revenue per currency under one rule-based model of contract
 * §2, or one data-driven model of issue 5 ({@code markov} of {@code order} 1–3, {@code shapley},
 * {@code shapley_simplified}; ADR 0009), in the same shape. Only the conversions and journeys of the customers in
 * the caller's {@code aggregates:read} scope count (contract §7), within the request's own filters.
 */
@RestController
class AttributionController {

    private final AttributionReadModel attribution;

    AttributionController(AttributionReadModel attribution) {
        this.attribution = attribution;
    }

    /**
     * The answer: {@code model}, the window used ({@code halfLifeDays} only for {@code time_decay}), the chain's
     * {@code order} (only for {@code markov}), the channels and, when something needs saying, {@code notes}.
     */
    record Answer(String model, int lookbackDays, BigDecimal halfLifeDays, Integer order, List<Channel> channels,
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
                       @RequestParam(required = false) String order,
                       @RequestParam(required = false) String region, @RequestParam(required = false) String team,
                       @RequestParam(required = false) String rep, Caller caller) {
        Scope scope = caller.scopeFor(Permission.AGGREGATES_READ);
        Optional<DataDrivenModel> dataDriven = AttributionParams.dataDriven(model);
        AttributionModel chosen = dataDriven.isPresent() ? null : AttributionParams.model(model, null);
        Window window = AttributionParams.window(lookbackDays, halfLifeDays);
        int markovOrder = AttributionParams.order(order);
        AttributionReadModel.Selection selection = AttributionParams.selection(from, to, region, team, rep);
        if (dataDriven.isPresent()) {
            DataDrivenModel named = dataDriven.get();
            AttributionReadModel.DataDrivenAttribution answer = attribution.dataDriven(scope, named, markovOrder,
                    window.lookbackDays(), selection);
            return new Answer(named.modelName(), window.lookbackDays(), null,
                    named == DataDrivenModel.MARKOV ? markovOrder : null, channels(answer.channels()),
                    answer.notes());
        }
        AttributionReadModel.Attribution answer = attribution.attribution(scope, chosen, window, selection);
        return new Answer(chosen.code(), window.lookbackDays(), chosen.usesHalfLife() ? window.halfLifeDays() : null,
                null, channels(answer.channels()), answer.notes());
    }

    private static List<Channel> channels(List<AttributionReadModel.ChannelCredit> credits) {
        return credits.stream().map(c -> new Channel(c.channel(), c.currency(),
                ResponseDecimals.round(c.conversions()), ResponseDecimals.round(c.revenue()))).toList();
    }
}
