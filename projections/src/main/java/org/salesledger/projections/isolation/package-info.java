/**
 * A read model never moves past an event it did not apply: its processor batches are written through
 * {@link org.salesledger.projections.isolation.BatchIsolation}, which isolates a failing customer so that its events
 * are dead-lettered and every other customer's are applied, or stops the read model when it cannot (ADR 0022).
 */
package org.salesledger.projections.isolation;
