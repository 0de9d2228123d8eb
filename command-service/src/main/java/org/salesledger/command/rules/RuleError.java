package org.salesledger.command.rules;

/**
 * One reason a rule body was refused: the body field ({@code when}, {@code classes[1].when}, {@code after}), the
 * message, and for a CEL expression the line and column (from 1) where CEL found the problem.
 */
public record RuleError(String field, String message, Integer line, Integer column) {

    static RuleError of(String field, String message) {
        return new RuleError(field, message, null, null);
    }
}
