package org.salesledger.projections.consistency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.projections.batch.PgArrays;

/**
 * The event store read customer by customer: Axon's {@code domain_event_entry} in the order of its unique key
 * (customer, sequence number), in pages of a bounded number of events, each page holding whole customers (a customer
 * cut by a page's end is carried over into the next page). Only customer actions are read (the rulebook's and
 * the talk-track scripts' events are not a customer's). This is the one place outside Axon that reads the events
 * of many customers by SQL: the consistency check compares the read models with it.
 */
final class EventHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext db;
    private final Serializer serializer;
    private final String[] payloadTypes;

    EventHistory(DSLContext db, Serializer serializer) {
        this.db = db;
        this.serializer = serializer;
        this.payloadTypes = ActionTypes.names().stream()
                .map(name -> ActionTypes.byName(name).orElseThrow().getName()).toArray(String[]::new);
    }

    /** One stored action of a customer: its global position, its sequence number, envelope id and event. */
    record StoredAction(long globalIndex, long seq, String actionId, CustomerAction action) {
    }

    /** A customer's stored actions, in sequence order. */
    record CustomerHistory(String customerId, List<StoredAction> actions) {

        long lastSeq() {
            return actions.get(actions.size() - 1).seq();
        }

        long lastGlobalIndex() {
            return actions.stream().mapToLong(StoredAction::globalIndex).max().orElse(0);
        }
    }

    /**
     * A page: whole customers in key order, those after {@code after} and up to {@code upTo} inclusive
     * ({@code upTo} is {@code null} on the last page: every customer after {@code after}).
     */
    record Page(String after, String upTo, boolean last, List<CustomerHistory> customers, long events) {

        /** Whether the page covers a range of customer ids (a page holding only part of one customer covers none). */
        boolean coversRange() {
            return last || !customers.isEmpty();
        }
    }

    /** Customer actions stored (for progress). */
    long count() {
        Object count = db.fetchValue("select count(*) from domain_event_entry where payload_type = any({0})",
                PgArrays.text(payloadTypes));
        return count == null ? 0 : ((Number) count).longValue();
    }

    /**
     * Whether the customer has actions stored now: a customer a read model holds but the page did not have may have
     * been stored after the page was read (its events are then still being applied, not unknown).
     */
    boolean hasActions(String customerId) {
        return db.fetchExists(DSL.selectOne().from(DSL.table("domain_event_entry"))
                .where(DSL.field("aggregate_identifier", String.class).eq(customerId))
                .and(DSL.field("payload_type", String.class).eq(DSL.any(PgArrays.text(payloadTypes)))));
    }

    /** Reads the history page by page, {@code pageEvents} events (and the rest of a cut customer) per page. */
    Cursor cursor(int pageEvents) {
        return new Cursor(pageEvents);
    }

    final class Cursor {
        private final int pageEvents;
        private String afterCustomer;
        private long afterSeq;
        /** Customers before and including this one were given out (null: none yet). */
        private String givenUpTo;
        private CustomerHistory carried;
        private boolean done;

        Cursor(int pageEvents) {
            this.pageEvents = pageEvents;
        }

        /** The next page, or {@code null} when every customer was given out. */
        Page next() {
            if (done) {
                return null;
            }
            String select = "select global_index, aggregate_identifier, sequence_number, payload_type, "
                    + "payload_revision, payload, meta_data from domain_event_entry where payload_type = any({0}) ";
            String order = "order by aggregate_identifier, sequence_number limit " + pageEvents;
            List<Record> rows = afterCustomer == null
                    ? db.fetch(select + order, PgArrays.text(payloadTypes))
                    : db.fetch(select + "and (aggregate_identifier, sequence_number) > ({1}, {2}) " + order,
                    PgArrays.text(payloadTypes), DSL.val(afterCustomer), DSL.val(afterSeq));
            List<CustomerHistory> customers = new ArrayList<>();
            CustomerHistory current = carried;
            carried = null;
            for (Record row : rows) {
                String customer = row.get("aggregate_identifier", String.class);
                long seq = row.get("sequence_number", Long.class);
                if (current != null && !current.customerId().equals(customer)) {
                    customers.add(current);
                    current = null;
                }
                if (current == null) {
                    current = new CustomerHistory(customer, new ArrayList<>());
                }
                current.actions().add(new StoredAction(row.get("global_index", Long.class), seq,
                        actionId(row.get("meta_data", byte[].class)), action(row)));
                afterCustomer = customer;
                afterSeq = seq;
            }
            long events = rows.size();
            boolean last = rows.size() < pageEvents;
            if (last) {
                if (current != null) {
                    customers.add(current);
                }
                done = true;
            } else {
                // the page's last customer may go on in the next page
                carried = current;
            }
            String upTo = last || customers.isEmpty() ? null : customers.get(customers.size() - 1).customerId();
            Page page = new Page(givenUpTo, upTo, last, customers, events);
            if (upTo != null) {
                givenUpTo = upTo;
            }
            return page;
        }
    }

    private CustomerAction action(Record row) {
        SimpleSerializedObject<byte[]> payload = new SimpleSerializedObject<>(row.get("payload", byte[].class),
                byte[].class, row.get("payload_type", String.class), row.get("payload_revision", String.class));
        return serializer.deserialize(payload);
    }

    private static String actionId(byte[] metadata) {
        if (metadata == null) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(metadata).get(ActionMetadata.ACTION_ID);
            return id == null || id.isNull() ? null : id.asText();
        } catch (IOException e) {
            return null;
        }
    }
}
