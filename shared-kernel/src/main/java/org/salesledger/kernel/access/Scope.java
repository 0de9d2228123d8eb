package org.salesledger.kernel.access;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which customers a caller may see or act on (contract §7), built once per request from the caller's roles and the
 * organisation: every customer, the customers of one region, or the customers owned now by a set of reps. Every
 * read-model query takes one and counts only the customers it covers; a customer it does not cover is answered as
 * if it did not exist.
 */
public sealed interface Scope {

    /** Every customer (admin, auditor, analyst). */
    Scope ALL = new All();

    /** No customer at all (a director without a region, a user the organisation does not place). */
    Scope NOTHING = new Owners(Set.of());

    /** Whether a customer of this region, owned now by this rep ({@code null} in the public pool), is covered. */
    boolean covers(String region, String ownerRepId);

    static Scope region(String region) {
        return region == null ? NOTHING : new Region(region);
    }

    static Scope owners(Set<String> reps) {
        return new Owners(reps);
    }

    /** Every customer. */
    record All() implements Scope {
        @Override
        public boolean covers(String region, String ownerRepId) {
            return true;
        }

        @Override
        public String toString() {
            return "all customers";
        }
    }

    /** The customers registered in this region (contract §2: regions are free codes, compared exactly). */
    record Region(String region) implements Scope {
        public Region {
            Objects.requireNonNull(region, "region");
        }

        @Override
        public boolean covers(String customerRegion, String ownerRepId) {
            return region.equals(customerRegion);
        }

        @Override
        public String toString() {
            return "the customers of region '" + region + "'";
        }
    }

    /** The customers owned now by one of these reps (none in the public pool). */
    record Owners(Set<String> reps) implements Scope {
        public Owners {
            reps = Set.copyOf(reps);
        }

        @Override
        public boolean covers(String region, String ownerRepId) {
            return ownerRepId != null && reps.contains(ownerRepId);
        }

        @Override
        public String toString() {
            return reps.isEmpty() ? "no customer" : "the customers owned by " + new TreeSet<>(reps);
        }
    }
}
