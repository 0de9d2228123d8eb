package org.salesledger.projections.attribution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;

/**
 * Test data: actions as the event store would deliver them — each customer's in stored order with its sequence
 * number, an envelope id and a time — and a way to feed them to the projection, one by one or in batches.
 */
final class ActionLog {

    /** One stored action. */
    record Logged(CustomerAction action, long seq, String id, String time) {
    }

    final List<Logged> all = new ArrayList<>();
    private final Map<String, Long> sequences = new HashMap<>();
    private int ids;

    Logged register(String customer, String channel, String time) {
        return register(customer, "east", "t1", "rep-1", channel, time);
    }

    Logged register(String customer, String region, String team, String rep, String channel, String time) {
        return add(new CustomerRegistered(CustomerId.of(customer), "n", region, RepId.of(rep), channel, team, null,
                null, null, null, Map.of()), time);
    }

    Logged touch(String customer, String channel, String time) {
        return add(new TouchpointRecorded(CustomerId.of(customer), channel, null, null, Map.of()), time);
    }

    Logged contract(String customer, String amount, String currency, String time) {
        return add(new ContractSigned(CustomerId.of(customer), "K-" + (ids + 1), new Money(new BigDecimal(amount),
                currency), null, null, Map.of()), time);
    }

    Logged needs(String customer, String time) {
        return add(new NeedsConfirmed(CustomerId.of(customer), null, Map.of()), time);
    }

    Logged proposal(String customer, String time) {
        return add(new ProposalSent(CustomerId.of(customer), null, null, null, null, Map.of()), time);
    }

    Logged lost(String customer, String time) {
        return add(new DealLost(CustomerId.of(customer), "price", Map.of()), time);
    }

    Logged visit(String customer, String time) {
        return add(new VisitLogged(CustomerId.of(customer), "buyer", null, null, null, null, null, Map.of()), time);
    }

    Logged cost(String customer, String category, String amount, String currency, String channel, String ref,
                String time) {
        return add(new CostIncurred(CustomerId.of(customer), category, new Money(new BigDecimal(amount), currency),
                channel, ref, Map.of()), time);
    }

    Logged add(CustomerAction action, String time) {
        return add(action, time, "a-" + (ids + 1));
    }

    Logged add(CustomerAction action, String time, String id) {
        ids++;
        long seq = sequences.merge(action.customerId().value(), 1L, Long::sum) - 1;
        Logged logged = new Logged(action, seq, id, time);
        all.add(logged);
        return logged;
    }

    /** Each action handled on its own, outside a batch (written at once). */
    static void feed(AttributionProjection projection, List<Logged> actions) {
        actions.forEach(a -> projection.on(a.action(), a.seq(), metadata(a)));
    }

    /** The actions in batches of {@code size}, each applied when its unit of work commits. */
    static void feedInBatches(AttributionProjection projection, List<Logged> actions, int size) {
        for (int from = 0; from < actions.size(); from += size) {
            List<Logged> chunk = actions.subList(from, Math.min(actions.size(), from + size));
            DefaultUnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(
                    GenericEventMessage.asEventMessage(chunk.get(0).action()));
            chunk.forEach(a -> projection.on(a.action(), a.seq(), metadata(a)));
            batch.commit();
        }
    }

    static MetaData metadata(Logged a) {
        return MetaData.from(Map.of(ActionMetadata.ACTION_ID, a.id(), ActionMetadata.OCCURRED_AT, a.time()));
    }
}
