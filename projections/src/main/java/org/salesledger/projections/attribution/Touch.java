package org.salesledger.projections.attribution;

/**
 * One touch of a customer's journey: its channel, when it happened (microseconds since the epoch, UTC) and its
 * place in the customer's stored order (the aggregate sequence number), which breaks ties in time.
 */
record Touch(String channel, long at, long seq) implements Comparable<Touch> {

    @Override
    public int compareTo(Touch other) {
        int byTime = Long.compare(at, other.at);
        return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }
}
