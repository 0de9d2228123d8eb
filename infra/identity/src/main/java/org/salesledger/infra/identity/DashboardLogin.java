package org.salesledger.infra.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The dashboard's sign-in through the embedded authorization server (ADR 0036): the public client
 * {@value #CLIENT_ID} (no secret; authorization code with PKCE, S256), a login form where a user signs in with its
 * user id and the secret {@code POST /api/v1/admin/users/{id}/credentials} issued, checked against the kept bcrypt
 * hash (a deactivated user or one without credentials cannot sign in), and the authorization codes, kept in memory
 * for the few minutes between the redirect and the page's token request. The login session ends as soon as a code
 * is issued: nobody stays signed in at the authorization server, so signing out of the page is forgetting its token.
 */
public final class DashboardLogin {

    /** The dashboard's client id; not usable as a user's client id (a user's credentials under it are ignored). */
    public static final String CLIENT_ID = "dashboard";
    static final String LOGIN_PATH = "/login";
    private static final Duration CODE_TTL = Duration.ofMinutes(5);
    private static final int CODES_KEPT = 10_000;

    private DashboardLogin() {
    }

    /**
     * The public client: authorization code with PKCE, redirecting to the dashboard's page. A loopback redirect
     * ({@code http://127.0.0.1/}, {@code http://[::1]/}) matches on any port (RFC 8252 §7.3); other hosts must be
     * listed exactly.
     */
    static RegisteredClient client(List<String> redirectUris, Duration ttl) {
        RegisteredClient.Builder builder = RegisteredClient.withId(CLIENT_ID).clientId(CLIENT_ID)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(ttl)
                        .authorizationCodeTimeToLive(CODE_TTL).build());
        redirectUris.forEach(builder::redirectUri);
        return builder.build();
    }

    /** The users who may sign in: those with credentials, by their user id, active or refused as disabled. */
    static AuthenticationManager users(Organisation organisation, PasswordEncoder secrets) {
        UserDetailsService details = userId -> {
            Optional<User> user = organisation.find(userId);
            Optional<Map.Entry<String, String>> credential = organisation.credential(userId)
                    .filter(c -> c.getKey().equals(userId));
            if (user.isEmpty() || credential.isEmpty() || CLIENT_ID.equals(userId)) {
                throw new UsernameNotFoundException("no user " + userId + " with credentials");
            }
            return org.springframework.security.core.userdetails.User.withUsername(userId)
                    .password(credential.get().getValue())
                    .disabled(!user.get().active())
                    .authorities(user.get().roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r))
                            .toList())
                    .build();
        };
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(details);
        provider.setPasswordEncoder(secrets);
        return new ProviderManager(provider);
    }

    /**
     * Sends the browser back to the dashboard with its code, as Spring Authorization Server does, and ends the login
     * session there: the page holds the token from now on.
     */
    static AuthenticationSuccessHandler codeIssued() {
        return (HttpServletRequest request, HttpServletResponse response, Authentication authentication) -> {
            OAuth2AuthorizationCodeRequestAuthenticationToken issued =
                    (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
            UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(issued.getRedirectUri())
                    .queryParam(OAuth2ParameterNames.CODE, issued.getAuthorizationCode().getTokenValue());
            if (issued.getState() != null && !issued.getState().isEmpty()) {
                uri.queryParam(OAuth2ParameterNames.STATE,
                        org.springframework.web.util.UriUtils.encode(issued.getState(), StandardCharsets.UTF_8));
            }
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            response.sendRedirect(uri.build(true).toUriString());
        };
    }

    /** The login form, in Chinese and English, for a phone's width as well; {@code ?error} says why it came back. */
    static void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        boolean error = request.getParameter("error") != null;
        String html = """
                <!doctype html>
                <html lang="zh-CN">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>登录 · Sign in — Sales Ledger</title>
                <style>
                body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f6f8;color:#1b1f24;margin:0}
                main{max-width:22rem;margin:4rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
                h1{font-size:1.3rem;margin:0 0 1rem}
                label{display:block;margin:.8rem 0 .3rem;font-weight:600}
                input{width:100%%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #57606a;border-radius:4px}
                button{margin-top:1.2rem;width:100%%;padding:.7rem;font-size:1rem;background:#0b5cad;color:#fff;border:0;border-radius:4px;cursor:pointer}
                :focus-visible{outline:3px solid #bf4b00;outline-offset:2px}
                .error{color:#a40e26;background:#ffebe9;padding:.6rem;border-radius:4px}
                </style>
                </head>
                <body>
                <main>
                <h1>Sales Ledger 登录 <span lang="en">· Sign in</span></h1>
                %s
                <form method="post" action="%s">
                <label for="username">用户 ID · User id</label>
                <input id="username" name="username" autocomplete="username" required autofocus>
                <label for="password">密钥 · Secret</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                <input type="hidden" name="%s" value="%s">
                <button type="submit" id="sign-in">登录 · Sign in</button>
                </form>
                </main>
                </body>
                </html>
                """.formatted(error ? "<p class=\"error\" role=\"alert\" id=\"login-error\">用户 ID 或密钥不正确，或该用户已停用。"
                        + " <span lang=\"en\">Wrong user id or secret, or the user is deactivated.</span></p>" : "",
                HtmlUtils.htmlEscape(request.getContextPath() + LOGIN_PATH),
                csrf == null ? "_csrf" : HtmlUtils.htmlEscape(csrf.getParameterName()),
                csrf == null ? "" : HtmlUtils.htmlEscape(csrf.getToken()));
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(html);
    }

    /**
     * Where authorizations live: those of the authorization-code grant in memory until their code is exchanged or
     * expires (at most {@value #CODES_KEPT}); every other grant's (client credentials) not at all — its tokens are
     * self-contained JWTs, and a kept one per token would only grow.
     */
    static OAuth2AuthorizationService codes(Clock clock) {
        return new OAuth2AuthorizationService() {
            private final Map<String, OAuth2Authorization> pending = new LinkedHashMap<>();

            @Override
            public synchronized void save(OAuth2Authorization authorization) {
                forgetExpired();
                if (!AuthorizationGrantType.AUTHORIZATION_CODE.equals(authorization.getAuthorizationGrantType())
                        || authorization.getToken(OAuth2AccessToken.class) != null) {
                    pending.remove(authorization.getId()); // exchanged: the code is spent
                    return;
                }
                pending.put(authorization.getId(), authorization);
                if (pending.size() > CODES_KEPT) {
                    Iterator<String> oldest = pending.keySet().iterator();
                    oldest.next();
                    oldest.remove();
                }
            }

            @Override
            public synchronized void remove(OAuth2Authorization authorization) {
                pending.remove(authorization.getId());
            }

            @Override
            public synchronized OAuth2Authorization findById(String id) {
                return pending.get(id);
            }

            @Override
            public synchronized OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
                for (OAuth2Authorization authorization : pending.values()) {
                    OAuth2Authorization.Token<OAuth2AuthorizationCode> code =
                            authorization.getToken(OAuth2AuthorizationCode.class);
                    boolean byCode = tokenType == null || OAuth2ParameterNames.CODE.equals(tokenType.getValue());
                    boolean byState = tokenType == null || OAuth2ParameterNames.STATE.equals(tokenType.getValue());
                    if (byCode && code != null && code.getToken().getTokenValue().equals(token)) {
                        return authorization;
                    }
                    if (byState && token.equals(authorization.getAttribute(OAuth2ParameterNames.STATE))) {
                        return authorization;
                    }
                }
                return null;
            }

            private void forgetExpired() {
                Instant now = clock.instant();
                List<String> expired = new ArrayList<>();
                pending.forEach((id, authorization) -> {
                    OAuth2Authorization.Token<OAuth2AuthorizationCode> code =
                            authorization.getToken(OAuth2AuthorizationCode.class);
                    if (code != null && code.getToken().getExpiresAt() != null
                            && code.getToken().getExpiresAt().isBefore(now)) {
                        expired.add(id);
                    }
                });
                expired.forEach(pending::remove);
            }
        };
    }
}
