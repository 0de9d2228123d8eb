package org.salesledger.infra.identity;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Both sides as OAuth 2 resource servers (contract §7): every {@code /api/} call carries a bearer JWT, verified
 * against the embedded authorization server's key (on the command side, in process; elsewhere through its JWK set
 * at {@code salesledger.identity.jwk-set-uri}) or, with {@code SALESLEDGER_OIDC_ISSUER_URI}, against that issuer.
 * The token becomes the {@link Caller} once per request; the side's {@link EndpointAccess} says which permission
 * each endpoint needs; a controller takes the {@link Caller} as a parameter and asks it for its scope.
 */
@EnableConfigurationProperties({IdentitySettings.class, OidcSettings.class})
@AutoConfiguration(before = SecurityAutoConfiguration.class)
@EnableWebSecurity
public class IdentityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IdentityConfiguration.class);
    static final String MISSING_PERMISSION = IdentityConfiguration.class.getName() + ".missing";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many verified tokens each side keeps until they expire ({@link VerifiedTokens}). */
    private static final int VERIFIED_TOKENS_KEPT = 10_000;

    @Bean(destroyMethod = "close")
    Organisation organisation(JdbcTemplate jdbc, TransactionTemplate transaction, ObjectProvider<Clock> clock) {
        return new Organisation(jdbc, transaction, clock.getIfAvailable(Clock::systemUTC)).listen();
    }

    /**
     * No Micrometer observations of Spring Security's filters, authentication and authorization: with an observation
     * registry present, Spring Security otherwise wraps every filter of every call (seen in a profile of the command
     * path). The token check is timed on its own instead ({@link CheckTimer}).
     */
    @Bean
    org.springframework.security.config.observation.SecurityObservationSettings securityObservationSettings() {
        return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
    }

    /**
     * Which other origins' pages may call this side with a bearer token (no cookies): the dashboard, served by the
     * query side, asks the command side for its token and sends snoozes there (ADR 0036). Loopback origins on any
     * port, and the origins of {@code salesledger.identity.dashboard.redirect-uris}.
     */
    @Bean
    org.springframework.web.cors.CorsConfigurationSource dashboardCors(
            IdentitySettings settings) {
        List<String> dashboard = settings.dashboard().redirectUris();
        org.springframework.web.cors.CorsConfiguration cors = new org.springframework.web.cors.CorsConfiguration();
        cors.addAllowedOriginPattern("http://127.0.0.1:[*]");
        cors.addAllowedOriginPattern("http://[::1]:[*]");
        for (String uri : dashboard) {
            java.net.URI parsed = java.net.URI.create(uri.trim());
            if (parsed.getHost() != null && !parsed.getHost().equals("127.0.0.1") && !parsed.getHost().equals("[::1]")) {
                cors.addAllowedOrigin(parsed.getScheme() + "://" + parsed.getRawAuthority());
            }
        }
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "X-Device-Id", "X-Actor", "X-Reason"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(3600L);
        org.springframework.web.cors.UrlBasedCorsConfigurationSource source =
                new org.springframework.web.cors.UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }

    @Bean
    AccessErrors accessErrors() {
        return new AccessErrors();
    }

    /** Which issuer's tokens are trusted: an external one, the embedded one elsewhere, or the one in this process. */
    @Bean
    @ConditionalOnMissingBean(JwtDecoder.class)
    JwtDecoder jwtDecoder(OidcSettings oidc, IdentitySettings settings,
                          ObjectProvider<JWKSource<SecurityContext>> localKeys) {
        String issuer = oidc.issuerUri();
        String jwkSetUri = settings.jwkSetUri();
        if (!issuer.isBlank()) {
            log.info("trusting the tokens of the external issuer {}", issuer);
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer).build();
            decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(issuer));
            return decoder;
        }
        if (!jwkSetUri.isBlank()) {
            log.info("trusting the tokens signed by the keys at {}", jwkSetUri);
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri).build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefault()));
            return decoder;
        }
        JWKSource<SecurityContext> keys = localKeys.getIfAvailable();
        if (keys == null) {
            throw new IllegalStateException("no token issuer is configured: set SALESLEDGER_OIDC_ISSUER_URI (an external "
                    + "issuer) or salesledger.identity.jwk-set-uri (the embedded authorization server's JWK set)");
        }
        return org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration
                .OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
    }

    /**
     * Health and the OpenAPI description: open, and a bearer token sent with them is not even read — a probe or a
     * script holding an expired token still learns whether the side is up.
     */
    @Bean
    @Order(5)
    SecurityFilterChain openEndpoints(HttpSecurity http) throws Exception {
        org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.Builder paths =
                org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new org.springframework.security.web.util.matcher.OrRequestMatcher(
                        paths.matcher("/actuator/health"), paths.matcher("/actuator/health/**"),
                        paths.matcher("/v3/api-docs"), paths.matcher("/v3/api-docs/**")))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(10)
    SecurityFilterChain apiSecurity(HttpSecurity http, ObjectProvider<EndpointAccess> accessTable,
                                    org.springframework.web.cors.CorsConfigurationSource dashboardCors,
                                    Organisation organisation,
                                    JwtDecoder decoder,
                                    ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters,
                                    OidcSettings oidc, IdentitySettings settings) throws Exception {
        String issuer = oidc.issuerUri();
        String userClaim = oidc.userClaim();
        String rolesClaim = oidc.rolesClaim();
        boolean unauthenticatedBenchmark = settings.unauthenticatedBenchmark();
        // a side without a table answers nothing under /api/ (fail closed)
        EndpointAccess access = accessTable.getIfAvailable(() -> new EndpointAccess(List.of()));
        CallerTokens tokens = new CallerTokens(organisation, !issuer.isBlank(), userClaim, rolesClaim);
        AuthenticationEntryPoint unauthenticated = unauthenticated();
        http.csrf(csrf -> csrf.disable())
                .cors(cors -> cors.configurationSource(dashboardCors))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> {
                    // plain path patterns: Spring MVC's introspecting matchers, the default for strings, look up the
                    // handler mappings per rule per request (seen in a profile of the command path); these only
                    // match the path
                    org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.Builder paths =
                            org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher
                                    .withDefaults();
                    requests.requestMatchers(paths.matcher("/error")).permitAll();
                    requests.requestMatchers(paths.matcher(HttpMethod.GET, "/actuator/prometheus"))
                            .access(needs(Permission.METRICS_READ));
                    for (EndpointAccess.Rule rule : access.rules()) {
                        requests.requestMatchers(paths.matcher(rule.method(), rule.pattern()))
                                .access(needs(rule.permission()));
                    }
                    // every /api/ endpoint has its row (checked at start, EndpointAccessCheck): anything else is a
                    // path no controller answers — 404 once authenticated
                    requests.anyRequest().authenticated();
                })
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.decoder(new VerifiedTokens(decoder, Clock.systemUTC(), VERIFIED_TOKENS_KEPT))
                                .jwtAuthenticationConverter(tokens))
                        .authenticationEntryPoint(unauthenticated))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied()));
        io.micrometer.core.instrument.MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            CheckTimer timer = new CheckTimer(registry);
            http.addFilterBefore(timer.start(),
                    org.springframework.security.web.session.DisableEncodeUrlFilter.class);
            http.addFilterAfter(timer.stop(),
                    org.springframework.security.web.access.intercept.AuthorizationFilter.class);
        }
        if (unauthenticatedBenchmark) {
            log.warn("PROFILE benchmark-without-tokens: every call without a token is taken as the admin's. For "
                    + "`salesledger bench` only, never for a system people use.");
            http.addFilterBefore(new BenchmarkWithoutTokens(),
                    org.springframework.security.oauth2.server.resource.web.authentication
                            .BearerTokenAuthenticationFilter.class);
        }
        return http.build();
    }

    /**
     * The measurement-only stand-in for the token check (profile {@code benchmark-without-tokens}): a call without
     * a token is the admin's, so the bench can measure the command path without verifying tokens or reading users.
     */
    static final class BenchmarkWithoutTokens extends org.springframework.web.filter.OncePerRequestFilter {
        private static final Caller BENCH = new Caller("admin", java.util.Set.of(Role.ADMIN), null, null,
                java.util.Set.of());

        @Override
        protected void doFilterInternal(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response,
                                        jakarta.servlet.FilterChain chain)
                throws jakarta.servlet.ServletException, IOException {
            if (request.getHeader("Authorization") == null) {
                org.springframework.security.core.context.SecurityContext context =
                        SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new CallerAuthentication(BENCH, null));
                SecurityContextHolder.setContext(context);
            }
            chain.doFilter(request, response);
        }
    }

    @Bean
    static EndpointAccessCheck endpointAccessCheck(org.springframework.context.ApplicationContext context,
                                                   ObjectProvider<EndpointAccess> access) {
        return new EndpointAccessCheck(context, access.getIfAvailable(() -> new EndpointAccess(List.of())));
    }

    @Bean
    WebMvcConfigurer callerArguments() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerArgument());
            }
        };
    }

    /** The caller of the request, for a controller method's {@code Caller} parameter. */
    static final class CallerArgument implements HandlerMethodArgumentResolver {
        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == Caller.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
                                      NativeWebRequest request, WebDataBinderFactory binders) {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication instanceof CallerAuthentication caller) {
                return caller.caller();
            }
            throw new IllegalStateException("no authenticated caller for " + parameter.getMethod());
        }
    }

    @SuppressWarnings("deprecation")
    private static AuthorizationManager<RequestAuthorizationContext> needs(Permission permission) {
        return (authentication, context) -> {
            Authentication given = authentication.get();
            if (!(given instanceof CallerAuthentication caller)) {
                return new AuthorizationDecision(false);
            }
            boolean granted = caller.caller().has(permission);
            if (!granted) {
                context.getRequest().setAttribute(MISSING_PERMISSION, permission);
            }
            return new AuthorizationDecision(granted);
        };
    }

    private static AuthenticationEntryPoint unauthenticated() {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, exception) -> {
            bearer.commence(request, response, exception);
            String message = request.getHeader("Authorization") == null
                    ? "a bearer token is needed (Authorization: Bearer <JWT>, contract §7)"
                    : "the bearer token was refused: " + exception.getMessage();
            write(response, 401, AccessErrors.problem(401, "Authorization", message, null));
        };
    }

    private static AccessDeniedHandler denied() {
        return (request, response, exception) -> {
            Permission missing = (Permission) request.getAttribute(MISSING_PERMISSION);
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            String message;
            if (missing != null && authentication instanceof CallerAuthentication caller) {
                message = AccessRefused.forbidden(caller.caller(), missing).getMessage();
            } else {
                message = "no permission gives " + request.getMethod() + " " + request.getRequestURI();
            }
            write(response, 403, AccessErrors.problem(403, "Authorization", message,
                    missing == null ? null : missing.code()));
        };
    }

    private static void write(HttpServletResponse response, int status, ProblemDetail problem) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("status", status);
        body.put("title", problem.getTitle());
        body.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        JSON.writeValue(response.getOutputStream(), body);
    }
}
