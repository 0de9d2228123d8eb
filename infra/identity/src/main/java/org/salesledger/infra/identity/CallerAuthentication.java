package org.salesledger.infra.identity;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** A request authenticated by a bearer token: the {@link Caller} it stands for, and the token. */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;
    private final Jwt token;

    CallerAuthentication(Caller caller, Jwt token) {
        super(caller.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList());
        this.caller = caller;
        this.token = token;
        setAuthenticated(true);
    }

    public Caller caller() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.userId();
    }
}
