package org.salesledger.command.intake;

import java.util.List;

/**
 * The summary of an import (contract §3): how many lines were stored, were already stored, or were refused, and
 * why each refused line was refused. At most {@code maxErrors} errors are listed; {@code errorsNotListed} counts
 * the rest, so that a file of a million bad lines cannot fill the memory.
 */
public record ImportReport(long accepted, long duplicates, long rejected, List<LineError> errors,
                           long errorsNotListed) {

    /** One reason a line was refused; lines count from 1. */
    public record LineError(long line, String field, String message) {
    }
}
