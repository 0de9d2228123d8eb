package org.salesledger.bench.generate;

/** One generated NDJSON line: when it happened (epoch second), whose it is, its place in that customer's journey. */
record Line(long second, long customer, int seq, String json) implements Comparable<Line> {

    /** Whether this is its customer's first line, which registers the customer (a journey's seq starts at 1). */
    boolean registers() {
        return seq == 1;
    }

    @Override
    public int compareTo(Line other) {
        int byTime = Long.compare(second, other.second);
        if (byTime != 0) {
            return byTime;
        }
        int byCustomer = Long.compare(customer, other.customer);
        return byCustomer != 0 ? byCustomer : Integer.compare(seq, other.seq);
    }
}
