package org.salesledger.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The leaf's rule for numbers canonical JSON refuses (ADR 0031): each becomes the string of its digits as the
 * envelope has them, wherever it is; every number a double holds exactly stays a number.
 */
class ActionLeavesTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Test
    void numbersNoDoubleHoldsBecomeStringsOfTheirDigitsAndOthersStayNumbers() throws Exception {
        JsonNode envelope = JSON.readTree("""
                {"id":"a-1","customersequence":3,"data":{"amount":1250.50,"lat":31.2,
                 "big":123456789012345678901234567890,"long":9007199254740993,"safe":9007199254740991,
                 "digits":0.1000000000000000000000000000001,
                 "list":[1,12345678901234567890123,{"deep":-98765432109876543210}]}}""");

        ActionLeaves.numbersAsText(envelope);

        assertThat(envelope.toString()).isEqualTo("{\"id\":\"a-1\",\"customersequence\":3,\"data\":{"
                + "\"amount\":1250.5,\"lat\":31.2,"
                + "\"big\":\"123456789012345678901234567890\",\"long\":\"9007199254740993\",\"safe\":9007199254740991,"
                + "\"digits\":\"0.1000000000000000000000000000001\","
                + "\"list\":[1,\"12345678901234567890123\",{\"deep\":\"-98765432109876543210\"}]}}");
    }
}
