package org.salesledger.projections.health;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.MetaData;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.rules.RulePublished;
import org.salesledger.kernel.rules.RuleRetired;
import org.salesledger.kernel.value.ContractLine;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.GeoPoint;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.ObjectionType;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;

/**
 * Test data for the health read model: actions written to the projection in the order they are called (the stored
 * order), each with its customer's next sequence number, its envelope id, time and actor — and kept in {@link
 * #stored} for an independent computation to read.
 */
final class HealthLog {

    /** One stored action as the projection got it. */
    record Stored(String id, String customer, long seq, Instant time, String actor, CustomerAction action) {
    }

    private final HealthProjection projection;
    private final Map<String, Long> sequences = new HashMap<>();
    private final List<Stored> stored = new ArrayList<>();
    private long rulebookSeq;
    private final List<HealthProjection.Fact> pending = new ArrayList<>();
    private int batch = 1;

    HealthLog(HealthProjection projection) {
        this.projection = projection;
    }

    /**
     * From now on, actions are handed to the projection's batch writer {@code size} at a time (as a processor batch
     * does), until {@link #flush}.
     */
    void batches(int size) {
        flush();
        batch = size;
    }

    void flush() {
        if (!pending.isEmpty()) {
            projection.write(List.copyOf(pending));
            pending.clear();
        }
    }

    List<Stored> stored() {
        return stored;
    }

    void append(String id, String time, String actor, CustomerAction action) {
        append(id, Instant.parse(time), actor, action);
    }

    void append(String id, Instant time, String actor, CustomerAction action) {
        String customer = action.customerId().value();
        long seq = sequences.merge(customer, 1L, Long::sum) - 1;
        Stored s = new Stored(id, customer, seq, time, actor, action);
        stored.add(s);
        if (batch == 1) {
            replay(s);
        } else {
            pending.add(HealthProjection.fact(action, seq, metadata(s)));
            if (pending.size() >= batch) {
                flush();
            }
        }
    }

    private static MetaData metadata(Stored s) {
        return MetaData.with(ActionMetadata.ACTION_ID, s.id()).and(ActionMetadata.OCCURRED_AT, s.time().toString())
                .and(ActionMetadata.ACTOR, s.actor());
    }

    /** Hands a stored action to the projection again (a redelivery). */
    void replay(Stored s) {
        projection.on(s.action(), s.seq(), metadata(s));
    }

    void publish(String ruleId, int version, Map<String, Object> body, String time) {
        projection.on(new RulePublished(ruleId, version, version == 1 ? null : version - 1, "director-1", null, body),
                rulebookSeq++, Instant.parse(time));
    }

    void retire(String ruleId, int version, String time) {
        projection.on(new RuleRetired(ruleId, version, version - 1, "director-1", null), rulebookSeq++,
                Instant.parse(time));
    }

    static CustomerId c(String id) {
        return CustomerId.of(id);
    }

    static CustomerRegistered registered(String customer, String owner) {
        return new CustomerRegistered(c(customer), customer, "east", RepId.of(owner), "web", null, null, null, null,
                null, null);
    }

    static VisitLogged visit(String customer) {
        return new VisitLogged(c(customer), "buyer", new GeoPoint(31.2, 121.5), null, null, null, null, null);
    }

    static ProposalSent proposal(String customer) {
        return new ProposalSent(c(customer), new Document("s3://p.pdf", Document.PDF), LocalDate.of(2026, 1, 1),
                List.of("a", "b", "c"), null, null);
    }

    static TrialRequested trial(String customer) {
        return new TrialRequested(c(customer), "x", null);
    }

    static ObjectionRaised objection(String customer) {
        return new ObjectionRaised(c(customer), ObjectionType.PRICE, null, null);
    }

    static CustomerActionObserved observed(String customer, String ref) {
        return new CustomerActionObserved(c(customer), "message_read", ref, null);
    }

    static DealLost lost(String customer) {
        return new DealLost(c(customer), "price", null);
    }

    static CustomerReassigned reassigned(String customer, String from, String to, String via) {
        return new CustomerReassigned(c(customer), from == null ? null : RepId.of(from), RepId.of(to), via, null,
                null);
    }

    static CustomerReleasedToPool released(String customer, String from) {
        return new CustomerReleasedToPool(c(customer), RepId.of(from), Instant.parse("2025-01-01T00:00:00Z"), "P30D",
                "pool-1", 1, null);
    }

    static ContractSigned contract(String customer, String contractId, String amount, String currency,
                                   List<ContractLine> lines, List<String> departments) {
        return new ContractSigned(c(customer), contractId, new Money(new BigDecimal(amount), currency), lines,
                departments, null);
    }

    static ContractLine line(String quantity, String unitPrice, String marginPct) {
        return new ContractLine("p", new BigDecimal(quantity), new BigDecimal(unitPrice),
                marginPct == null ? null : new BigDecimal(marginPct));
    }
}
