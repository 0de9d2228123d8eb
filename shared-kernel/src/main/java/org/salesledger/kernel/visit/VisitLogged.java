package org.salesledger.kernel.visit;

import java.util.Map;
import java.util.List;
import org.salesledger.kernel.value.GeoPoint;
import org.salesledger.kernel.value.Photo;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** A rep visited the customer: who was met, where, what was objected, with photos and device. */
public record VisitLogged(
        CustomerId customerId,
        String contactRole,
        GeoPoint location,
        List<String> objections,
        List<Photo> photos,
        String deviceId,
        String notes,
        Map<String, Object> additional) implements CustomerAction {

    public VisitLogged {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
