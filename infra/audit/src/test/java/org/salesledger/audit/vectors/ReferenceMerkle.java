package org.salesledger.audit.vectors;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A second, deliberately naive implementation of RFC 9162 §2.1, written from the RFC's recursive definitions for the
 * tests only: MTH, PATH and PROOF straight over the list of leaf inputs, and verifiers that follow the same recursion
 * (not the bit-walking algorithms of §2.1.3.2 and §2.1.4.2 the production verifier uses). It shares no code with
 * production (its own SHA-256 calls, plain byte arrays) and is quadratic, which is fine for a few thousand leaves.
 */
public final class ReferenceMerkle {

    private ReferenceMerkle() {
    }

    public static byte[] leafHash(byte[] input) {
        return sha256(new byte[] {0}, input);
    }

    /** MTH(D[n]) of RFC 9162 §2.1.1. */
    public static byte[] mth(List<byte[]> leaves) {
        int n = leaves.size();
        if (n == 0) {
            return sha256();
        }
        if (n == 1) {
            return leafHash(leaves.get(0));
        }
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(mth(leaves.subList(0, k)), mth(leaves.subList(k, n)));
    }

    /** PATH(m, D[n]) of §2.1.3.1. */
    public static List<byte[]> path(int m, List<byte[]> leaves) {
        int n = leaves.size();
        List<byte[]> result = new ArrayList<>();
        if (n == 1) {
            return result;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            result.addAll(path(m, leaves.subList(0, k)));
            result.add(mth(leaves.subList(k, n)));
        } else {
            result.addAll(path(m - k, leaves.subList(k, n)));
            result.add(mth(leaves.subList(0, k)));
        }
        return result;
    }

    /** PROOF(m, D[n]) of §2.1.4.1. */
    public static List<byte[]> proof(int m, List<byte[]> leaves) {
        return subproof(m, leaves, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> leaves, boolean b) {
        int n = leaves.size();
        List<byte[]> result = new ArrayList<>();
        if (m == n) {
            if (!b) {
                result.add(mth(leaves));
            }
            return result;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            result.addAll(subproof(m, leaves.subList(0, k), b));
            result.add(mth(leaves.subList(k, n)));
        } else {
            result.addAll(subproof(m - k, leaves.subList(k, n), false));
            result.add(mth(leaves.subList(0, k)));
        }
        return result;
    }

    /**
     * Whether {@code path} proves leaf hash {@code leafHash} at index {@code m} of a tree of size {@code n} with root
     * {@code root}: rebuilds the root by walking PATH's recursion from the top (the last proof element is the
     * sibling of the root's child on the leaf's side).
     */
    public static boolean verifyInclusion(long m, long n, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (m < 0 || m >= n) {
            return false;
        }
        byte[] computed = rootFromPath(m, n, leafHash, path);
        return computed != null && Arrays.equals(computed, root);
    }

    private static byte[] rootFromPath(long m, long n, byte[] leafHash, List<byte[]> path) {
        if (n == 1) {
            return path.isEmpty() ? leafHash : null;
        }
        if (path.isEmpty()) {
            return null;
        }
        long k = largestPowerOfTwoBelow(n);
        byte[] sibling = path.get(path.size() - 1);
        List<byte[]> rest = path.subList(0, path.size() - 1);
        if (m < k) {
            byte[] left = rootFromPath(m, k, leafHash, rest);
            return left == null ? null : nodeHash(left, sibling);
        }
        byte[] right = rootFromPath(m - k, n - k, leafHash, rest);
        return right == null ? null : nodeHash(sibling, right);
    }

    /**
     * Whether {@code proof} shows the tree of size {@code m} with root {@code root1} is a prefix of the tree of size
     * {@code n} with root {@code root2}: walks SUBPROOF's recursion from the top, rebuilding both roots.
     */
    public static boolean verifyConsistency(long m, long n, byte[] root1, byte[] root2, List<byte[]> proof) {
        if (m <= 0 || m > n) {
            return false;
        }
        byte[][] roots = rootsFromSubproof(m, n, true, root1, proof);
        return roots != null && Arrays.equals(roots[0], root1) && Arrays.equals(roots[1], root2);
    }

    /** {old root, new root} of SUBPROOF(m, D[n], b), or null if the proof has the wrong shape. */
    private static byte[][] rootsFromSubproof(long m, long n, boolean b, byte[] root1, List<byte[]> proof) {
        if (m == n) {
            if (b) {
                return proof.isEmpty() ? new byte[][] {root1, root1} : null;
            }
            return proof.size() == 1 ? new byte[][] {proof.get(0), proof.get(0)} : null;
        }
        if (proof.isEmpty()) {
            return null;
        }
        long k = largestPowerOfTwoBelow(n);
        byte[] last = proof.get(proof.size() - 1);
        List<byte[]> rest = proof.subList(0, proof.size() - 1);
        if (m <= k) {
            byte[][] inner = rootsFromSubproof(m, k, b, root1, rest);
            return inner == null ? null : new byte[][] {inner[0], nodeHash(inner[1], last)};
        }
        byte[][] inner = rootsFromSubproof(m - k, n - k, false, root1, rest);
        return inner == null ? null : new byte[][] {nodeHash(last, inner[0]), nodeHash(last, inner[1])};
    }

    private static byte[] nodeHash(byte[] left, byte[] right) {
        return sha256(new byte[] {1}, left, right);
    }

    private static int largestPowerOfTwoBelow(long n) {
        int k = 1;
        while (k * 2L < n) {
            k *= 2;
        }
        return k;
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
