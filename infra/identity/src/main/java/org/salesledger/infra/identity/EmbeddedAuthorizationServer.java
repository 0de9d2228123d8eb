package org.salesledger.infra.identity;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The embedded default's OAuth 2 authorization server (Spring Authorization Server), on the command side unless
 * {@code SALESLEDGER_OIDC_ISSUER_URI} names an external issuer. Clients are the users' credentials
 * ({@code POST /api/v1/admin/users/{id}/credentials}): client id = user id, so a token's subject is its user; only
 * the client-credentials grant (RFC 6749 §4.4) — and the dashboard's public client {@code dashboard}, the
 * authorization-code grant with PKCE through a login form ({@link DashboardLogin}, ADR 0036). Its signing key is generated on first start and kept in the data
 * directory ({@code oauth2-signing-key.json}, owner only), so tokens outlive a restart; on first start it also
 * creates the user {@code admin} and writes {@code admin-client.json} there. Issued tokens are not kept (they are
 * self-contained JWTs; a deactivated user is refused by the resource servers at the next call).
 */
@EnableConfigurationProperties({NodeFiles.class, IdentitySettings.class})
@AutoConfiguration(before = IdentityConfiguration.class)
@ConditionalOnExpression("${salesledger.identity.authorization-server.enabled:false} and '${salesledger.oidc.issuer-uri:}' == ''")
public class EmbeddedAuthorizationServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedAuthorizationServer.class);
    /** The administrator the embedded default starts with: its user id and client id. */
    public static final String ADMIN = "admin";
    static final String KEY_FILE = "oauth2-signing-key.json";
    static final String ADMIN_CLIENT_FILE = "admin-client.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerSecurity(HttpSecurity http,
                                                    org.springframework.web.cors.CorsConfigurationSource dashboardCors)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, s -> s.authorizationEndpoint(e -> e.authorizationResponseHandler(
                        DashboardLogin.codeIssued())))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                // the dashboard (another origin: the query side) asks for its token from the page
                .cors(cors -> cors.configurationSource(dashboardCors))
                // a browser not signed in is sent to the login form; anything else gets 401
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                        new org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint(
                                DashboardLogin.LOGIN_PATH),
                        new org.springframework.security.web.util.matcher.MediaTypeRequestMatcher(
                                org.springframework.http.MediaType.TEXT_HTML)))
                .csrf(csrf -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()));
        return http.build();
    }

    /**
     * The login form of the dashboard's sign-in (ADR 0036): {@code GET /login} shows it, {@code POST /login} checks
     * the user id and secret against the user's credentials (CSRF-protected) and goes back to the authorization
     * request that sent the browser here.
     */
    @Bean
    @Order(2)
    SecurityFilterChain loginForm(HttpSecurity http, Organisation organisation, PasswordEncoder secrets)
            throws Exception {
        http.securityMatcher(org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher
                        .withDefaults().matcher(DashboardLogin.LOGIN_PATH))
                .authenticationManager(DashboardLogin.users(organisation, secrets))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .formLogin(form -> form.loginPage(DashboardLogin.LOGIN_PATH).permitAll())
                .addFilterAfter(new org.springframework.web.filter.OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(jakarta.servlet.http.HttpServletRequest request,
                                                    jakarta.servlet.http.HttpServletResponse response,
                                                    jakarta.servlet.FilterChain chain)
                            throws jakarta.servlet.ServletException, IOException {
                        if ("GET".equals(request.getMethod())) {
                            DashboardLogin.page(request, response);
                        } else {
                            chain.doFilter(request, response);
                        }
                    }
                }, org.springframework.security.web.csrf.CsrfFilter.class);
        return http.build();
    }

    @Bean
    JWKSource<SecurityContext> signingKeys(NodeFiles files) {
        return new ImmutableJWKSet<>(new JWKSet(signingKey(files.dataDir())));
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder().build();
    }

    @Bean
    PasswordEncoder clientSecrets() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    RegisteredClientRepository userClients(Organisation organisation,
                                           IdentitySettings settings) {
        Duration ttl = settings.tokenTtl();
        RegisteredClient dashboardClient = DashboardLogin.client(settings.dashboard().redirectUris(), ttl);
        return new RegisteredClientRepository() {
            @Override
            public void save(RegisteredClient client) {
                throw new UnsupportedOperationException("clients are made by POST /api/v1/admin/users/{id}/credentials");
            }

            @Override
            public RegisteredClient findById(String id) {
                return findByClientId(id);
            }

            @Override
            public RegisteredClient findByClientId(String clientId) {
                if (DashboardLogin.CLIENT_ID.equals(clientId)) {
                    return dashboardClient;
                }
                Optional<Map.Entry<String, String>> credential = organisation.credential(clientId);
                if (credential.isEmpty()) {
                    return null;
                }
                Optional<User> user = organisation.find(credential.get().getKey());
                if (user.isEmpty() || !user.get().active()) {
                    return null;
                }
                return RegisteredClient.withId(clientId).clientId(clientId)
                        .clientSecret(credential.get().getValue())
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                        .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(ttl).build())
                        .build();
            }
        };
    }

    /**
     * Client-credentials tokens are self-contained JWTs checked by signature: nothing kept; the dashboard's
     * authorization codes are kept in memory until exchanged or expired ({@link DashboardLogin#codes}).
     */
    @Bean
    OAuth2AuthorizationService authorizations() {
        return DashboardLogin.codes(java.time.Clock.systemUTC());
    }

    /** The user's roles in the token, for the clients' information: the resource servers read them afresh. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> rolesClaim(Organisation organisation) {
        return context -> organisation.find(context.getPrincipal().getName())
                .ifPresent(user -> context.getClaims().claim("roles", List.copyOf(user.roles())));
    }

    @Bean
    TokenEndpoint tokenEndpoint() {
        return new TokenEndpoint();
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> adminClient(Organisation organisation, PasswordEncoder secrets,
                                                               TokenEndpoint endpoint,
                                                               NodeFiles files,
                                                               @Value("${server.address:}") String address) {
        return event -> {
            String host = address.isBlank() || address.equals("0.0.0.0") || address.equals("::") ? "localhost"
                    : address.contains(":") ? "[" + address + "]" : address;
            endpoint.url = "http://" + host + ":" + event.getWebServer().getPort() + "/oauth2/token";
            bootstrapAdmin(organisation, secrets, endpoint.url, files.dataDir(), files.fixedAdminSecret());
        };
    }

    /** Where a client gets its tokens: {@code POST} here, RFC 6749 §4.4. */
    public static final class TokenEndpoint {
        private volatile String url;

        public String url() {
            return url;
        }
    }

    /** A new random client secret: 256 bits, URL-safe. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static void bootstrapAdmin(Organisation organisation, PasswordEncoder secrets, String tokenUrl, Path dataDir,
                               String fixed) {
        if (organisation.find(ADMIN).isEmpty()) {
            organisation.define(ADMIN, new Organisation.Definition("Administrator", List.of(Role.ADMIN.code()), null,
                    null, null, true), "system");
            log.info("created the user '{}' (role admin)", ADMIN);
        }
        Optional<String> stored = organisation.credential(ADMIN).map(Map.Entry::getValue);
        Path file = dataDir == null ? null : dataDir.resolve(ADMIN_CLIENT_FILE);
        String secret;
        if (fixed != null && !fixed.isBlank()) {
            secret = fixed;
        } else {
            secret = fileSecret(file).filter(s -> stored.isPresent() && secrets.matches(s, stored.get()))
                    .orElseGet(EmbeddedAuthorizationServer::newSecret);
        }
        if (stored.isEmpty() || !secrets.matches(secret, stored.get())) {
            organisation.issueCredentials(ADMIN, ADMIN, secrets.encode(secret), "system");
        }
        if (file != null) {
            ObjectNode content = JSON.createObjectNode().put("clientId", ADMIN).put("clientSecret", secret)
                    .put("tokenUrl", tokenUrl);
            try {
                OwnerOnlyFiles.write(file, content.toPrettyString() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + file, e);
            }
            log.info("the admin client is in {}", file);
        } else if (fixed == null || fixed.isBlank()) {
            log.warn("no data directory (salesledger.data-dir): the admin client's secret is not kept anywhere; "
                    + "set SALESLEDGER_ADMIN_CLIENT_SECRET to choose one");
        }
    }

    private static Optional<String> fileSecret(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            return Optional.ofNullable(node.path("clientSecret").textValue());
        } catch (IOException e) {
            log.warn("{} could not be read ({}); a new admin secret is written", file, e.getMessage());
            return Optional.empty();
        }
    }

    static RSAKey signingKey(Path dataDir) {
        Path file = dataDir == null ? null : dataDir.resolve(KEY_FILE);
        try {
            if (file != null && Files.isRegularFile(file)) {
                return JWKSet.parse(Files.readString(file)).getKeys().get(0).toRSAKey();
            }
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            if (file != null) {
                OwnerOnlyFiles.write(file, new JWKSet(key).toString(false) + "\n");
                log.info("generated the token signing key in {}", file);
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the token signing key in " + file, e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("the token signing key in " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
