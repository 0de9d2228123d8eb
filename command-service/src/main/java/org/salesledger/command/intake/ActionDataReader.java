package org.salesledger.command.intake;

import java.math.BigDecimal;
import java.util.List;
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
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.message.MessageSent;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.value.ContractLine;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.ObjectionType;
import org.salesledger.kernel.value.Photo;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;

/**
 * Reads the envelope's {@code data} into the event record of its {@code type}, field by field, as contract §1
 * requires. Returns {@code null} when any field is wrong; the reasons are then in the {@link Fields}' errors.
 */
final class ActionDataReader {

    private ActionDataReader() {
    }

    static CustomerAction read(String type, CustomerId customer, Fields d) {
        CustomerAction action = switch (type) {
            case "CustomerRegistered" -> {
                String name = d.text("name", true);
                String region = d.text("region", true);
                String owner = d.text("ownerRepId", true);
                String channel = d.text("channel", true);
                yield new CustomerRegistered(customer, name, region, owner == null ? null : RepId.of(owner), channel,
                        d.text("team", false), d.text("territory", false), d.text("category", false),
                        d.text("company", false), d.text("phone", false), d.unread());
            }
            case "VisitLogged" -> new VisitLogged(customer, d.text("contactRole", true), d.geo("location", true),
                    d.texts("objections", false), photos(d), d.text("deviceId", false), d.text("notes", false),
                    d.unread());
            case "NeedsConfirmed" -> new NeedsConfirmed(customer, d.texts("needs", false), d.unread());
            case "ProposalSent" -> {
                Document document = pdf(d);
                var date = d.date("expectedDecisionDate", true);
                List<String> keys = d.texts("keyParameters", true);
                if (keys != null && keys.size() != 3) {
                    d.fail("keyParameters", "must hold exactly 3 parameters the customer cares most about, got "
                            + keys.size());
                }
                yield new ProposalSent(customer, document, date, keys, d.money("amount", false), d.unread());
            }
            case "ObjectionRaised" -> new ObjectionRaised(customer, d.code("objectionType", true, ObjectionType.class),
                    d.text("detail", false), d.unread());
            case "TrialRequested" -> new TrialRequested(customer, d.text("product", false), d.unread());
            case "ContractSigned" -> new ContractSigned(customer, d.text("contractId", true), d.money("amount", true),
                    lines(d), d.texts("departments", false), d.unread());
            case "PaymentReceived" -> new PaymentReceived(customer, d.text("contractId", true),
                    d.money("amount", true), d.unread());
            case "DealLost" -> new DealLost(customer, d.text("reason", true), d.unread());
            case "TouchpointRecorded" -> new TouchpointRecorded(customer, d.text("channel", true),
                    d.text("touchType", false), d.text("campaign", false), d.unread());
            case "CostIncurred" -> new CostIncurred(customer, d.text("category", true), d.money("amount", true),
                    d.text("channel", false), d.text("refActionId", false), d.unread());
            case "CustomerActionObserved" -> new CustomerActionObserved(customer, d.text("kind", true),
                    d.text("refActionId", true), d.unread());
            case "MessageSent" -> new MessageSent(customer, d.text("channel", true), d.text("templateId", false),
                    d.text("refActionId", false), d.text("summary", false), d.unread());
            case "CustomerSnoozed" -> new CustomerSnoozed(customer, d.date("until", true), d.text("reason", true),
                    d.unread());
            case "TalkTrackFeedbackGiven" -> new TalkTrackFeedbackGiven(customer, d.text("suggestionId", true),
                    d.text("scriptId", true), d.code("feedback", true, TalkTrackFeedback.class), d.unread());
            default -> throw new IllegalArgumentException("not a client type: " + type);
        };
        return d.errors().isEmpty() ? action : null;
    }

    private static Document pdf(Fields d) {
        Fields doc = d.object("document", true);
        if (doc == null) {
            return null;
        }
        String uri = doc.text("uri", true);
        String mediaType = doc.text("mediaType", true);
        if (mediaType != null && !Document.PDF.equals(mediaType)) {
            doc.fail("mediaType", "must be \"application/pdf\": a proposal is sent as a PDF document");
            return null;
        }
        return uri != null && mediaType != null ? new Document(uri, mediaType) : null;
    }

    private static List<Photo> photos(Fields d) {
        int uriLimit = d.itemTextLimit("photos[].uri");
        int shaLimit = d.itemTextLimit("photos[].sha256");
        return d.list("photos", false, item -> {
            if (!item.isObject() || !item.path("uri").isTextual() || item.path("uri").asText().isBlank()
                    || item.path("uri").asText().length() > uriLimit) {
                return null;
            }
            JsonNodeText sha = new JsonNodeText(item.get("sha256"));
            return sha.ok() && (sha.value() == null || sha.value().length() <= shaLimit)
                    ? new Photo(item.get("uri").asText(), sha.value()) : null;
        }, "an object {uri, sha256} with a non-blank uri of at most " + uriLimit + " characters and a sha256 of at "
                + "most " + shaLimit);
    }

    private static List<ContractLine> lines(Fields d) {
        int productLimit = d.itemTextLimit("lines[].product");
        return d.list("lines", false, item -> {
            if (!item.isObject()) {
                return null;
            }
            JsonNodeText product = new JsonNodeText(item.get("product"));
            BigDecimal quantity = optionalDecimal(item.get("quantity"));
            BigDecimal unitPrice = optionalDecimal(item.get("unitPrice"));
            BigDecimal margin = optionalDecimal(item.get("grossMarginPct"));
            boolean ok = product.ok() && (product.value() == null || product.value().length() <= productLimit)
                    && (item.get("quantity") == null || item.get("quantity").isNull() || quantity != null)
                    && (item.get("unitPrice") == null || item.get("unitPrice").isNull() || unitPrice != null)
                    && (item.get("grossMarginPct") == null || item.get("grossMarginPct").isNull() || margin != null);
            return ok ? new ContractLine(product.value(), quantity, unitPrice, margin) : null;
        }, "an object {product, quantity, unitPrice, grossMarginPct} with decimal numbers (at most "
                + Decimals.MAX_INTEGER_DIGITS + " digits before the point and " + Decimals.MAX_SCALE
                + " after it) and a product of at most " + productLimit + " characters");
    }

    private static BigDecimal optionalDecimal(com.fasterxml.jackson.databind.JsonNode node) {
        return node == null || node.isNull() ? null : Decimals.parse(node);
    }

    /** An optional string inside a list item: absent, null, or a string. */
    private record JsonNodeText(boolean ok, String value) {
        JsonNodeText(com.fasterxml.jackson.databind.JsonNode node) {
            this(node == null || node.isNull() || node.isTextual(),
                    node != null && node.isTextual() ? node.asText() : null);
        }
    }
}
