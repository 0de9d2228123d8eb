package org.salesledger.command.testdata;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.GeoPoint;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.ObjectionType;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;

/** Valid actions of every type, with sensible defaults, for tests. */
public final class Actions {

    private Actions() {
    }

    public static CustomerId id(String customer) {
        return CustomerId.of(customer);
    }

    public static Money cny(String value) {
        return new Money(new BigDecimal(value), "CNY");
    }

    public static CustomerRegistered registered(String customer) {
        return new CustomerRegistered(id(customer), "Acme Medical", "east", RepId.of("rep-07"), "exhibition",
                "team-a", null, null, null, null, Map.of());
    }

    public static VisitLogged visit(String customer) {
        return new VisitLogged(id(customer), "equipment", new GeoPoint(31.2, 121.5), List.of("REGISTRATION_CERTIFICATE"),
                null, "dev-1", null, Map.of());
    }

    public static NeedsConfirmed needsConfirmed(String customer) {
        return new NeedsConfirmed(id(customer), List.of("CT scanner"), Map.of());
    }

    public static ProposalSent proposal(String customer) {
        return proposal(customer, new Document("s3://p/1.pdf", Document.PDF), List.of("price", "delivery", "warranty"));
    }

    public static ProposalSent proposal(String customer, Document document, List<String> keyParameters) {
        return new ProposalSent(id(customer), document, LocalDate.of(2025, 4, 1), keyParameters, cny("120000"),
                Map.of());
    }

    public static ObjectionRaised objection(String customer, ObjectionType type) {
        return new ObjectionRaised(id(customer), type, null, Map.of());
    }

    public static TrialRequested trial(String customer) {
        return new TrialRequested(id(customer), "X-ray", Map.of());
    }

    public static ContractSigned contract(String customer, String contractId) {
        return new ContractSigned(id(customer), contractId, cny("120000.00"), null, null, Map.of());
    }

    public static PaymentReceived payment(String customer, String contractId) {
        return new PaymentReceived(id(customer), contractId, cny("60000"), Map.of());
    }

    public static DealLost lost(String customer) {
        return new DealLost(id(customer), "budget cut", Map.of());
    }

    public static TouchpointRecorded touchpoint(String customer) {
        return new TouchpointRecorded(id(customer), "wechat", "article", null, Map.of());
    }

    public static CostIncurred cost(String customer) {
        return new CostIncurred(id(customer), "SAMPLES", cny("300"), "field", null, Map.of());
    }

    public static CustomerActionObserved observed(String customer) {
        return new CustomerActionObserved(id(customer), "MESSAGE_READ", "a-1", Map.of());
    }
}
