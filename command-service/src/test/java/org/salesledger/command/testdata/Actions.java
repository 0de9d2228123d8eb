package org.salesledger.command.testdata;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.salesledger.command.customer.RecordActions;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.customer.CustomerSnoozed;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.message.MessageSent;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.value.ContractLine;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.GeoPoint;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.ObjectionType;
import org.salesledger.kernel.value.Photo;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;

/**
 * Valid actions of every v1 type with sensible defaults, and {@link RecordActions} commands made of them.
 *
 * <p>The defaults are the same values {@link Envelopes} writes into a valid envelope of each type, so that reading
 * {@code Envelopes.valid(type)} must give exactly {@code Actions.of(type, Envelopes.CUSTOMER)}.
 */
public final class Actions {

    /** The metadata every action of a {@link #record record}ed batch carries unless the batch says otherwise. */
    public static final String SOURCE = "/test";
    public static final String ACTOR = "rep-07";
    public static final String TIME = "2025-03-01T09:30:00+08:00";

    public static final String PROPOSAL_URI = "s3://proposals/p-1.pdf";
    public static final List<String> KEY_PARAMETERS = List.of("price", "delivery", "warranty");

    private Actions() {
    }

    // ---- values ----

    public static CustomerId id(String customer) {
        return CustomerId.of(customer);
    }

    public static Money cny(String value) {
        return new Money(new BigDecimal(value), "CNY");
    }

    public static Document pdf(String uri) {
        return new Document(uri, Document.PDF);
    }

    // ---- one valid action of each type ----

    public static CustomerRegistered registered(String customer) {
        return new CustomerRegistered(id(customer), "Acme Medical", "east", RepId.of("rep-07"), "exhibition",
                "team-a", null, null, null, null, Map.of());
    }

    public static VisitLogged visit(String customer) {
        return new VisitLogged(id(customer), "equipment", new GeoPoint(31.2, 121.5),
                List.of("REGISTRATION_CERTIFICATE"), List.of(new Photo("s3://photos/v-1.jpg", "9f86d081")), "dev-1",
                null, Map.of());
    }

    public static NeedsConfirmed needsConfirmed(String customer) {
        return new NeedsConfirmed(id(customer), List.of("CT scanner"), Map.of());
    }

    public static ProposalSent proposal(String customer) {
        return proposal(customer, pdf(PROPOSAL_URI), KEY_PARAMETERS);
    }

    /** A proposal with this document and these key parameters, whether or not they are valid. */
    public static ProposalSent proposal(String customer, Document document, List<String> keyParameters) {
        return new ProposalSent(id(customer), document, LocalDate.of(2025, 4, 1), keyParameters, cny("120000.00"),
                Map.of());
    }

    public static ObjectionRaised objection(String customer, ObjectionType type) {
        return new ObjectionRaised(id(customer), type, "above budget", Map.of());
    }

    public static ObjectionRaised priceObjection(String customer) {
        return objection(customer, ObjectionType.PRICE);
    }

    public static TrialRequested trial(String customer) {
        return new TrialRequested(id(customer), "X-ray", Map.of());
    }

    public static ContractSigned contract(String customer, String contractId) {
        return new ContractSigned(id(customer), contractId, cny("120000.00"),
                List.of(new ContractLine("CT scanner", new BigDecimal("1"), new BigDecimal("120000.00"),
                        new BigDecimal("35.5"))),
                List.of("radiology"), Map.of());
    }

    public static PaymentReceived payment(String customer, String contractId) {
        return new PaymentReceived(id(customer), contractId, cny("60000.00"), Map.of());
    }

    public static DealLost lost(String customer) {
        return new DealLost(id(customer), "budget cut", Map.of());
    }

    public static TouchpointRecorded touchpoint(String customer) {
        return new TouchpointRecorded(id(customer), "wechat", "article", "spring-2025", Map.of());
    }

    public static CostIncurred cost(String customer) {
        return new CostIncurred(id(customer), "SAMPLES", cny("300.00"), "field", null, Map.of());
    }

    public static CustomerActionObserved observed(String customer) {
        return new CustomerActionObserved(id(customer), "MESSAGE_READ", "a-0", Map.of());
    }

    public static MessageSent message(String customer) {
        return new MessageSent(id(customer), "wechat", "tpl-price-list", "a-0", "sent the revised price list",
                Map.of());
    }

    public static CustomerSnoozed snoozed(String customer) {
        return new CustomerSnoozed(id(customer), LocalDate.of(2025, 3, 20), "champion on holiday", Map.of());
    }

    /** The default action of this envelope type; a contract or payment refers to contract {@code K-1}. */
    public static CustomerAction of(String type, String customer) {
        return switch (type) {
            case "CustomerRegistered" -> registered(customer);
            case "VisitLogged" -> visit(customer);
            case "NeedsConfirmed" -> needsConfirmed(customer);
            case "ProposalSent" -> proposal(customer);
            case "ObjectionRaised" -> priceObjection(customer);
            case "TrialRequested" -> trial(customer);
            case "ContractSigned" -> contract(customer, "K-1");
            case "PaymentReceived" -> payment(customer, "K-1");
            case "DealLost" -> lost(customer);
            case "TouchpointRecorded" -> touchpoint(customer);
            case "CostIncurred" -> cost(customer);
            case "CustomerActionObserved" -> observed(customer);
            case "MessageSent" -> message(customer);
            case "CustomerSnoozed" -> snoozed(customer);
            default -> throw new IllegalArgumentException("not a v1 type: " + type);
        };
    }

    /**
     * One action of every type but the registration, in an order a registered customer accepts them all (the
     * contract before its payment, the loss left out because it would end the deal: see {@link #lost}).
     */
    public static List<CustomerAction> followUps(String customer) {
        return List.of(visit(customer), needsConfirmed(customer), proposal(customer), priceObjection(customer),
                trial(customer), touchpoint(customer), cost(customer), observed(customer), message(customer),
                contract(customer, "K-1"), payment(customer, "K-1"));
    }

    // ---- commands ----

    /** The metadata an action with this id is stored with, by default. */
    public static Map<String, String> metadata(String actionId) {
        return Map.of(ActionMetadata.ACTION_ID, actionId, ActionMetadata.SOURCE, SOURCE, ActionMetadata.ACTOR, ACTOR,
                ActionMetadata.OCCURRED_AT, TIME);
    }

    /** These actions of one customer as one command, with ids {@code a-1}, {@code a-2}, … and default metadata. */
    public static RecordActions record(CustomerAction... actions) {
        if (actions.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one action");
        }
        return batch(actions[0].customerId().value()).add(actions).build();
    }

    public static RecordActions record(List<? extends CustomerAction> actions) {
        return record(actions.toArray(CustomerAction[]::new));
    }

    public static Batch batch(String customer) {
        return new Batch(customer);
    }

    /** Builds a {@link RecordActions}: ids are {@code a-1}, {@code a-2}, … unless given. */
    public static final class Batch {

        private final String customer;
        private final List<RecordActions.Action> actions = new ArrayList<>();
        private String source = SOURCE;
        private String actor = ACTOR;
        private String time = TIME;

        private Batch(String customer) {
            this.customer = customer;
        }

        public Batch source(String source) {
            this.source = source;
            return this;
        }

        public Batch actor(String actor) {
            this.actor = actor;
            return this;
        }

        public Batch occurredAt(String time) {
            this.time = time;
            return this;
        }

        public Batch add(CustomerAction... payloads) {
            for (CustomerAction payload : payloads) {
                add("a-" + (actions.size() + 1), payload);
            }
            return this;
        }

        /** Adds an action with this id; the metadata is taken from the batch's settings at this moment. */
        public Batch add(String id, CustomerAction payload) {
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(ActionMetadata.ACTION_ID, id);
            metadata.put(ActionMetadata.SOURCE, source);
            metadata.put(ActionMetadata.ACTOR, actor);
            metadata.put(ActionMetadata.OCCURRED_AT, time);
            actions.add(new RecordActions.Action(id, payload, metadata));
            return this;
        }

        public RecordActions build() {
            return new RecordActions(customer, actions);
        }
    }
}
