package org.salesledger.infra.identity;

import java.util.Locale;
import java.util.Optional;

/** The roles of contract §7. A user may hold several; for each call the widest that allows it applies. */
public enum Role {
    REP, SUPERVISOR, DIRECTOR, ADMIN, ANALYST, AUDITOR, INTEGRATOR;

    /** The name as the contract and tokens spell it: {@code rep}, {@code supervisor} … */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> of(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.code().equals(code.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
