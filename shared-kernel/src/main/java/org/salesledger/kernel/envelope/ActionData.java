package org.salesledger.kernel.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;
import org.salesledger.kernel.CustomerAction;

/**
 * The envelope's {@code data} object of an action: the record's fields without the customer id (that is the
 * {@code subject}), absent optional fields left out, and the unnamed fields the sender gave put back beside the
 * named ones. The timeline, the Kafka relay and the import's echo all render data through here, so they agree.
 */
public final class ActionData {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private ActionData() {
    }

    public static ObjectNode render(CustomerAction action) {
        ObjectNode data = MAPPER.valueToTree(action);
        data.remove("customerId");
        data.remove("additional");
        for (Map.Entry<String, Object> extra : action.additional().entrySet()) {
            if (!data.has(extra.getKey())) {
                data.set(extra.getKey(), MAPPER.valueToTree(extra.getValue()));
            }
        }
        return data;
    }

    /** The mapper used for data: ISO dates, plain decimals, nulls left out. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
