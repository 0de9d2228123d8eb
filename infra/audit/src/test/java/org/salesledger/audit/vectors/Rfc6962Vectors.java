package org.salesledger.audit.vectors;

import java.util.HexFormat;
import java.util.List;

/**
 * The Certificate Transparency reference test vectors for RFC 6962 / RFC 9162 trees, as published in
 * github.com/transparency-dev/merkle (commit 417fb0c): the eight leaves, every complete subtree's hash and the roots
 * of sizes 0 to 8 from {@code testonly/constants.go} (the same tree as google/certificate-transparency's
 * merkle_tree_test), and the "happy path" inclusion and consistency proofs of {@code testdata/inclusion/N/} and
 * {@code testdata/consistency/N/happy-path.json}. Hard-coded here, in their published hex and base64.
 */
public final class Rfc6962Vectors {

    private Rfc6962Vectors() {
    }

    /** testonly.LeafInputs(). */
    public static final List<String> LEAF_INPUTS_HEX = List.of(
            "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f");

    /** testonly.NodeHashes(): by level (0 = leaf hashes), then index. */
    public static final List<List<String>> NODE_HASHES_HEX = List.of(
            List.of("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
                    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
            List.of("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            List.of("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            List.of("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));

    /** testonly.RootHashes(): the root of the first n leaves, n = 0…8 (0: SHA-256 of nothing). */
    public static final List<String> ROOT_HASHES_HEX = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    /** A published inclusion proof: leaf {@code leafIndex} of the tree of {@code treeSize} leaves (base64 hashes). */
    public record Inclusion(long leafIndex, long treeSize, String root, String leafHash, List<String> proof) {
    }

    /** A published consistency proof from {@code size1} to {@code size2} (base64 hashes). */
    public record Consistency(long size1, long size2, String root1, String root2, List<String> proof) {
    }

    /** testdata/inclusion/0…4/happy-path.json. */
    public static final List<Inclusion> INCLUSION = List.of(
            new Inclusion(0, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
                    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", List.of()),
            new Inclusion(0, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
                    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", List.of(
                            "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=",
                            "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
                            "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=")),
            new Inclusion(5, 8, "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
                    "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", List.of(
                            "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=",
                            "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=",
                            "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=")),
            new Inclusion(2, 3, "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=",
                    "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", List.of(
                            "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=")),
            new Inclusion(1, 5, "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=",
                    "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", List.of(
                            "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
                            "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
                            "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=")));

    /** testdata/consistency/0…4/happy-path.json. */
    public static final List<Consistency> CONSISTENCY = List.of(
            new Consistency(1, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
                    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", List.of()),
            new Consistency(1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
                    "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", List.of(
                            "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=",
                            "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
                            "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=")),
            new Consistency(6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=",
                    "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", List.of(
                            "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=",
                            "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=",
                            "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=")),
            new Consistency(2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=",
                    "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=", List.of(
                            "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
                            "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=")),
            new Consistency(6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=",
                    "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=", List.of(
                            "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=",
                            "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=",
                            "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=")));

    /** The leaf inputs as bytes. */
    public static List<byte[]> leafInputs() {
        return LEAF_INPUTS_HEX.stream().map(HexFormat.of()::parseHex).toList();
    }
}
