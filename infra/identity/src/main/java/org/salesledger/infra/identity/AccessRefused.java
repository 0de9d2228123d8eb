package org.salesledger.infra.identity;

import org.springframework.http.HttpStatus;

/**
 * A call the caller may not make on this customer or as this actor: {@code 403} naming the permission or the
 * field, or {@code 404} for a customer outside the caller's scope (contract §7: answered as if it did not exist).
 */
public class AccessRefused extends RuntimeException {

    private final HttpStatus status;
    private final String field;
    private final String permission;

    public AccessRefused(HttpStatus status, String field, String permission, String message) {
        super(message);
        this.status = status;
        this.field = field;
        this.permission = permission;
    }

    /** {@code 403}: the caller's roles do not give the permission. */
    public static AccessRefused forbidden(Caller caller, Permission permission) {
        return new AccessRefused(HttpStatus.FORBIDDEN, "Authorization", permission.code(),
                "this call needs the permission '" + permission.code() + "', which the roles " + caller.roleCodes()
                        + " of '" + caller.userId() + "' do not give");
    }

    /** {@code 404}: as if the customer did not exist. */
    public static AccessRefused notFound(String field, String message) {
        return new AccessRefused(HttpStatus.NOT_FOUND, field, null, message);
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String permission() {
        return permission;
    }
}
