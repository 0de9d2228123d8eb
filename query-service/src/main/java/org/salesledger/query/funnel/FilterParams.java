package org.salesledger.query.funnel;

import java.time.LocalDate;
import org.salesledger.projections.funnel.FunnelReadModel;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;

/** The customer filter every funnel-shaped query takes, read from its request parameters. */
final class FilterParams {

    private FilterParams() {
    }

    static FunnelReadModel.Filter filter(String region, String team, String rep, String channel, String from,
                                         String to) {
        LocalDate fromDate = date("from", from);
        LocalDate toDate = date("to", to);
        if (fromDate != null && toDate != null && !fromDate.isBefore(toDate)) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "to",
                    "to must be after from (to is exclusive); got from=" + from + ", to=" + to);
        }
        return new FunnelReadModel.Filter(blankToNull(region), blankToNull(team), blankToNull(rep),
                blankToNull(channel), fromDate, toDate);
    }

    private static LocalDate date(String name, String value) {
        return org.salesledger.query.api.QueryDates.date(name, value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
