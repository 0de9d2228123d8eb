package org.salesledger.query.dashboard;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * The dashboard's files are open (ADR 0036): the page, its scripts and styles, ECharts from its webjar and where to
 * sign in. Nothing in them is data: every {@code /api/} call the page makes carries the signed-in user's token.
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurity {

    @Bean
    @Order(6)
    SecurityFilterChain dashboardFiles(HttpSecurity http) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(paths.matcher("/"), paths.matcher("/index.html"),
                        paths.matcher("/dashboard/**"), paths.matcher("/webjars/**"), paths.matcher("/favicon.ico")))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; connect-src *; img-src 'self' data:; style-src 'self' 'unsafe-inline'")))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }
}
