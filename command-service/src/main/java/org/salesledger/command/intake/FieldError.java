package org.salesledger.command.intake;

/** One reason an action was refused: the envelope field it concerns ({@code data.location.lat}) and why. */
public record FieldError(String field, String message) {
}
