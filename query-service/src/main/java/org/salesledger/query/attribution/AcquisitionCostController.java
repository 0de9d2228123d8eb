package org.salesledger.query.attribution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.salesledger.infra.identity.AccessRefused;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Permission;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.value.Money;
import org.salesledger.projections.attribution.AttributionModel;
import org.salesledger.projections.attribution.AttributionReadModel;
import org.salesledger.projections.attribution.AttributionReadModel.Period;
import org.salesledger.projections.attribution.Window;
import org.salesledger.projections.attribution.datadriven.DataDrivenModel;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/acquisition-cost[?from=&to=&model=linear&lookbackDays=&halfLifeDays=&order=&period=month&currency=]}:
 * per channel and period, customers won, and per currency cost (by category), CAC, revenue attributed by the
 * model and ROI. The model is a rule-based one or a data-driven one ({@code markov} of {@code order} 1–3,
 * {@code shapley}, {@code shapley_simplified}), whose revenue credit is computed per period over that period's
 * journeys. Answered to callers whose {@code marketing:read} scope is every customer only (today every role that has
 * the permission): costs are recorded per channel, most of them belonging to no customer, so no exact report over
 * part of the customers exists; a narrower scope is refused with {@code 403}.
 */
@RestController
class AcquisitionCostController {

    private final AttributionReadModel attribution;

    AcquisitionCostController(AttributionReadModel attribution) {
        this.attribution = attribution;
    }

    /** {@code halfLifeDays} only for {@code time_decay}, {@code order} only for {@code markov}. */
    record Answer(String model, int lookbackDays, BigDecimal halfLifeDays, Integer order, String period,
                  List<Channel> channels, List<String> notes) {
    }

    record Channel(String channel, String period, LocalDate start, LocalDate end, long customersWon,
                   List<Figures> currencies) {
    }

    /** Money of one currency; {@code cac} and {@code roi} are {@code null} when undefined, and a note says why. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Figures(String currency,
                   @JsonSerialize(using = ResponseDecimals.Plain.class) BigDecimal cost,
                   @JsonSerialize(contentUsing = ResponseDecimals.Plain.class) Map<String, BigDecimal> costByCategory,
                   @JsonSerialize(using = ResponseDecimals.Plain.class) BigDecimal cac,
                   @JsonSerialize(using = ResponseDecimals.Plain.class) BigDecimal attributedRevenue,
                   @JsonSerialize(using = ResponseDecimals.Plain.class) BigDecimal roi,
                   List<String> notes) {
    }

    @GetMapping("/api/v1/acquisition-cost")
    Answer acquisitionCost(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                           @RequestParam(required = false) String model,
                           @RequestParam(required = false) String lookbackDays,
                           @RequestParam(required = false) String halfLifeDays,
                           @RequestParam(required = false) String order,
                           @RequestParam(required = false) String period,
                           @RequestParam(required = false) String currency, Caller caller) {
        Scope scope = caller.scopeFor(Permission.MARKETING_READ);
        if (!(scope instanceof Scope.All)) {
            throw new AccessRefused(HttpStatus.FORBIDDEN, "Authorization", Permission.MARKETING_READ.code(),
                    "the acquisition-cost report is answered over all customers only (costs are recorded per "
                            + "channel and cannot be split by customer); the scope of '" + caller.userId()
                            + "' is " + scope);
        }
        Optional<DataDrivenModel> dataDriven = AttributionParams.dataDriven(model);
        AttributionModel chosen = dataDriven.isPresent() ? null
                : AttributionParams.model(model, AttributionModel.LINEAR.code());
        Window window = AttributionParams.window(lookbackDays, halfLifeDays);
        int markovOrder = AttributionParams.order(order);
        Period by = period(period);
        String only = currency(currency);
        AttributionReadModel.Selection selection = AttributionParams.selection(from, to, null, null, null);
        AttributionReadModel.AcquisitionCost report = dataDriven.isPresent()
                ? attribution.acquisitionCost(scope, dataDriven.get(), markovOrder, window.lookbackDays(), by, selection, only)
                : attribution.acquisitionCost(scope, chosen, window, by, selection, only);
        List<Channel> channels = report.channels().stream().map(c -> new Channel(c.channel(), c.period(), c.start(),
                c.end(), c.customersWon(), c.currencies().stream().map(AcquisitionCostController::figures).toList()))
                .toList();
        return new Answer(report.model(), window.lookbackDays(),
                chosen != null && chosen.usesHalfLife() ? window.halfLifeDays() : null,
                dataDriven.filter(DataDrivenModel.MARKOV::equals).isPresent() ? markovOrder : null,
                by.name().toLowerCase(Locale.ROOT), channels, report.notes());
    }

    private static Figures figures(AttributionReadModel.CurrencyFigures f) {
        Map<String, BigDecimal> categories = new LinkedHashMap<>();
        f.costByCategory().forEach((k, v) -> categories.put(k, ResponseDecimals.round(v)));
        return new Figures(f.currency(), ResponseDecimals.round(f.cost()), categories, ResponseDecimals.round(f.cac()),
                ResponseDecimals.round(f.attributedRevenue()), ResponseDecimals.round(f.roi()), f.notes());
    }

    private static Period period(String period) {
        if (period == null || period.isBlank()) {
            return Period.MONTH;
        }
        try {
            return Period.valueOf(period.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "period",
                    "period must be one of month, quarter, year; got '" + period + "'");
        }
    }

    private static String currency(String currency) {
        String code = AttributionParams.blankToNull(currency);
        if (code != null && !Money.isIsoCurrency(code)) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "currency",
                    "currency must be an ISO 4217 code in capitals, e.g. CNY or USD; got '" + currency + "'");
        }
        return code;
    }
}
