package org.salesledger.infra.identity;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times the token check of every {@code /api/} call that passes it: from the first filter of the security chain
 * (before the bearer token is read) to the point after the authorization decision, where the call goes on to its
 * controller. Published as the histogram {@value #METRIC} (Prometheus: {@code salesledger_identity_check_seconds}),
 * which the bench harness reads before and after its command-path load to give the check's own p50 and p99
 * (issue 17: under 1 ms at p99). Refused calls are not timed.
 */
final class CheckTimer {

    static final String METRIC = "salesledger.identity.check";
    private static final String STARTED = CheckTimer.class.getName() + ".started";

    private final Timer withToken;
    private final Timer withoutToken;

    CheckTimer(MeterRegistry registry) {
        this.withToken = timer(registry, "yes");
        this.withoutToken = timer(registry, "no");
    }

    /**
     * Tagged {@code bearer=yes|no}: a call that passes without a token is possible only under the measurement-only
     * profile {@code benchmark-without-tokens}, and is timed apart so the bench can compare the two.
     */
    private static Timer timer(MeterRegistry registry, String bearer) {
        return Timer.builder(METRIC)
                .description("The token check of an /api/ call: token, user, permission (contract §7)")
                .tag("bearer", bearer)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
    }

    /** The filter that goes first in the security chain. */
    OncePerRequestFilter start() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                request.setAttribute(STARTED, System.nanoTime());
                chain.doFilter(request, response);
            }
        };
    }

    /** The filter that goes right after the authorization decision. */
    OncePerRequestFilter stop() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                if (request.getAttribute(STARTED) instanceof Long started) {
                    Timer timer = request.getHeader("Authorization") == null ? withoutToken : withToken;
                    timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    request.removeAttribute(STARTED);
                }
                chain.doFilter(request, response);
            }
        };
    }
}
