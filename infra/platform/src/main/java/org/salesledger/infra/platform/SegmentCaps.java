package org.salesledger.infra.platform;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.pooled.MaxSegmentProvider;

/**
 * How many segments of each pooled streaming processor this node may claim ({@code
 * salesledger.processing.max-claimed-segments}), asked by Axon's coordinators every time they look for segments to
 * claim. A rebuild lifts the cap of its read model's processor while the other nodes have paused theirs, so that this
 * node can apply every segment into the shadow tables; restored, the processor releases its surplus segments.
 */
public class SegmentCaps implements MaxSegmentProvider {

    private final int cap;
    private final Set<String> lifted = ConcurrentHashMap.newKeySet();

    public SegmentCaps(int cap) {
        this.cap = cap;
    }

    @Override
    public int getMaxSegments(String processor) {
        return lifted.contains(processor) ? Short.MAX_VALUE : cap;
    }

    /** This node may claim every segment of the processor. */
    public void lift(String processor) {
        lifted.add(processor);
    }

    /** Back to the configured cap. */
    public void restore(String processor) {
        lifted.remove(processor);
    }
}
