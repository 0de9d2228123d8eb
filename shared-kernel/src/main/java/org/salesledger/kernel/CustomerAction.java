package org.salesledger.kernel;

import java.util.Map;
import org.salesledger.kernel.value.CustomerId;

/**
 * A sales action on one customer: every event of the published language is one.
 *
 * <p>{@link #additional()} holds the envelope's {@code data} fields that v1 does not name: the contract says
 * unknown fields are kept, not refused. They are stored with the event and published again unchanged.
 */
public interface CustomerAction {

    CustomerId customerId();

    Map<String, Object> additional();
}
