package org.salesledger.command.customer;

/**
 * A command decided by one {@link Customer}: it names the customer it is for. The store's command target resolver
 * asks this instead of scanning the command's class for {@code @TargetAggregateIdentifier} on every command, as
 * Axon's annotation resolver does (ADR 0048); the annotation stays on each command, for Axon's test fixtures.
 */
public sealed interface CustomerCommand
        permits RecordActions, EvaluateRules, PlanTimers, FireTimers, ClaimFromPool, ReassignCustomer {

    /** The customer's id: the aggregate the command is for. */
    String customerId();
}
