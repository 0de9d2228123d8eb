package org.salesledger.audit.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * RFC 8785 canonical JSON. The first six cases are the test data published with the RFC by its author
 * (github.com/cyberphone/json-canonicalization commit 19d51d7, testdata/input and testdata/outhex;
 * "values" is the example of RFC 8785 §3.2.2, "weird" extends the sorting example of §3.2.3): each input and the
 * expected bytes in hex.
 */
class CanonicalJsonTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void canonicalisesArrays() {
        String input = """
            [
              56,
              {
                "d": true,
                "10": null,
                "1": [ ]
              }
            ]
            """;
        assertThat(hex(CanonicalJson.bytes(input))).isEqualTo(
                "5b35362c7b2231223a5b5d2c223130223a6e756c6c2c2264223a747275657d5d");
    }

    @Test
    void canonicalisesFrench() {
        String input = """
            {
              "peach": "This sorting order",
              "péché": "is wrong according to French",
              "pêche": "but canonicalization MUST",
              "sin":   "ignore locale"
            }
            """;
        assertThat(hex(CanonicalJson.bytes(input))).isEqualTo(
                "7b227065616368223a225468697320736f7274696e67206f72646572222c2270c3a96368c3a9223a2269732077726f6e"
                    + "67206163636f7264696e6720746f204672656e6368222c2270c3aa636865223a226275742063616e6f6e6963616c697a"
                    + "6174696f6e204d555354222c2273696e223a2269676e6f7265206c6f63616c65227d");
    }

    @Test
    void canonicalisesStructures() {
        String input = """
            {
              "1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0},
              "10": { },
              "": "empty",
              "a": { },
              "111": [ {"e": "yes","E": "no" } ],
              "A": { }
            }
            """;
        assertThat(hex(CanonicalJson.bytes(input))).isEqualTo(
                "7b22223a22656d707479222c2231223a7b225c6e223a35362c2266223a7b2246223a352c2266223a226869227d7d2c22"
                    + "3130223a7b7d2c22313131223a5b7b2245223a226e6f222c2265223a22796573227d5d2c2241223a7b7d2c2261223a7b"
                    + "7d7d");
    }

    @Test
    void canonicalisesUnicode() {
        String input = """
            {
              "Unnormalized Unicode":"A\\u030a"
            }
            """;
        assertThat(hex(CanonicalJson.bytes(input))).isEqualTo(
                "7b22556e6e6f726d616c697a656420556e69636f6465223a2241cc8a227d");
    }

    @Test
    void canonicalisesValues() {
        String input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
              "literals": [null, true, false]
            }
            """;
        assertThat(hex(CanonicalJson.bytes(input))).isEqualTo(
                "7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b33333333333333"
                    + "33332e333333333333332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac24"
                    + "5c75303030665c6e4127425c225c5c5c5c5c222f227d");
    }

    @Test
    void canonicalisesWeird() {
        String input = """
            {
              "\\u20ac": "Euro Sign",
              "\\r": "Carriage Return",
              "\\u000a": "Newline",
              "1": "One",
              "\\u0080": "Control\\u007f",
              "\\ud83d\\ude02": "Smiley",
              "\\u00f6": "Latin Small Letter O With Diaeresis",
              "\\ufb33": "Hebrew Letter Dalet With Dagesh",
              "</script>": "Browser Challenge"
            }
            """;
        assertThat(hex(CanonicalJson.bytes(input))).isEqualTo(
                "7b225c6e223a224e65776c696e65222c225c72223a2243617272696167652052657475726e222c2231223a224f6e6522"
                    + "2c223c2f7363726970743e223a2242726f77736572204368616c6c656e6765222c22c280223a22436f6e74726f6c7f22"
                    + "2c22c3b6223a224c6174696e20536d616c6c204c6574746572204f205769746820446961657265736973222c22e282ac"
                    + "223a224575726f205369676e222c22f09f9882223a22536d696c6579222c22efacb3223a22486562726577204c657474"
                    + "65722044616c6574205769746820446167657368227d");
    }

    @Test
    void sortsMemberNamesByUtf16CodeUnitsNotByCodePoints() {
        // U+1F600 is D83D DE00 in UTF-16, which sorts before U+FB33 although its code point is larger (§3.2.3).
        assertThat(CanonicalJson.string("{\"\\ufb33\":1,\"\\ud83d\\ude00\":2,\"\\u00f6\":3}"))
                .isEqualTo("{\"\u00f6\":3,\"\ud83d\ude00\":2,\"\ufb33\":1}");
    }

    @Test
    void escapesOnlyWhatRfc8785Escapes() {
        ObjectNode node = NODES.objectNode().put("s", "\b\t\n\f\r\u0000\u001f \"\\/\u007f\u2028é");
        assertThat(CanonicalJson.string(node))
                .isEqualTo("{\"s\":\"\\b\\t\\n\\f\\r\\u0000\\u001f \\\"\\\\/\u007f\u2028é\"}");
    }

    @Test
    void givesTheSameBytesForATreeAsForItsText() throws Exception {
        String text = "{\"b\":[1,2.50,{\"z\":null,\"a\":true}],\"a\":\"x\"}";
        JsonNode tree = new ObjectMapper().readTree(text);
        assertThat(CanonicalJson.bytes(tree)).isEqualTo(CanonicalJson.bytes(text))
                .isEqualTo("{\"a\":\"x\",\"b\":[1,2.5,{\"a\":true,\"z\":null}]}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesEveryKindOfJacksonNumberAsADouble() {
        ObjectNode node = NODES.objectNode();
        node.put("int", 7);
        node.put("long", 1L << 60);
        node.put("bigInteger", BigInteger.valueOf(-12345));
        node.put("decimal", new BigDecimal("1234.500"));
        node.put("double", 1e-7);
        node.put("float", 0.5f);
        assertThat(CanonicalJson.string(node)).isEqualTo(
                "{\"bigInteger\":-12345,\"decimal\":1234.5,\"double\":1e-7,\"float\":0.5,\"int\":7,"
                        + "\"long\":1152921504606847000}"); // 2^60 exactly, in ES6's shortest digits
    }

    @Test
    void refusesAnIntegerNoDoubleHoldsExactly() {
        assertThatThrownBy(() -> CanonicalJson.string("{\"amount\":{\"cents\":9007199254740993}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.amount.cents")
                .hasMessageContaining("9007199254740993");
    }

    @Test
    void refusesADecimalNodeWithMoreDigitsThanADoubleKeeps() {
        ObjectNode node = NODES.objectNode();
        node.putObject("data").put("amount", new BigDecimal("12345678901234567.89"));
        assertThatThrownBy(() -> CanonicalJson.string(node)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.data.amount").hasMessageContaining("12345678901234567.89");
        assertThat(CanonicalJson.string(NODES.arrayNode().add(new BigDecimal("0.10")).add(new BigDecimal("-0.0"))))
                .isEqualTo("[0.1,0]");
    }

    @Test
    void refusesNaNAndInfinity() {
        assertThatThrownBy(() -> CanonicalJson.string(NODES.objectNode().put("x", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$.x");
        assertThatThrownBy(() -> CanonicalJson.string(NODES.arrayNode().add(Double.NEGATIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$[0]");
        assertThatThrownBy(() -> CanonicalJson.string("[1e400]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesALoneSurrogate() {
        assertThatThrownBy(() -> CanonicalJson.string(NODES.objectNode().put("name", "a\ud800b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$.name")
                .hasMessageContaining("U+D800");
        assertThatThrownBy(() -> CanonicalJson.string("{\"\\udc00\":1}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+DC00");
    }

    @Test
    void refusesDuplicateNamesAndTrailingContentInText() {
        assertThatThrownBy(() -> CanonicalJson.string("{\"a\":1,\"a\":2}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duplicate");
        assertThatThrownBy(() -> CanonicalJson.string("{} {}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.string("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesBinaryNodes() {
        assertThatThrownBy(() -> CanonicalJson.string(NODES.objectNode().put("b", new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$.b");
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
