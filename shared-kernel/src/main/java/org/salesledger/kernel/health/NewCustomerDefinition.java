package org.salesledger.kernel.health;

/** The two definitions of a <em>new</em> customer's contract that an incentive plan chooses between (contract §8). */
public enum NewCustomerDefinition {
    /** The contract is the customer's first {@code ContractSigned}. */
    FIRST_ORDER,
    /**
     * The customer's first {@code VisitLogged} or {@code CustomerActionObserved} is at most {@code newCustomerWindow}
     * before the contract.
     */
    FIRST_EFFECTIVE_CONTACT
}
