package org.salesledger.query.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the dashboard signs in and sends actions ({@code salesledger.dashboard.*}, ADR 36); each empty value is
 * derived from the authorization server, which by default is the one whose keys this side trusts.
 *
 * @param authorizationServer the authorization server's base URL
 * @param authorizeUrl        its authorization endpoint
 * @param tokenUrl            its token endpoint
 * @param commandUrl          the command side's base URL the page sends snoozes to
 * @param clientId            the OAuth 2 client the page signs in as
 */
@ConfigurationProperties("salesledger.dashboard")
public record DashboardSettings(@DefaultValue("") String authorizationServer,
                                @DefaultValue("") String authorizeUrl,
                                @DefaultValue("") String tokenUrl,
                                @DefaultValue("") String commandUrl,
                                @DefaultValue("dashboard") String clientId) {
}
