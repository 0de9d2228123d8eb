package org.salesledger.kernel.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A public read-model query that takes no {@link Scope} because it answers nothing about customers (its
 * definitions, its settings). The architecture test lets through only queries that take a scope or say why not.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Unscoped {

    /** Why no scope applies. */
    String value();
}
