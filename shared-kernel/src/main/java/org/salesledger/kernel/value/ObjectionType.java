package org.salesledger.kernel.value;

/** The objection codes of contract v1. */
public enum ObjectionType {
    PRICE, REGISTRATION_CERTIFICATE, COMPETITOR, AFTER_SALES, OTHER
}
