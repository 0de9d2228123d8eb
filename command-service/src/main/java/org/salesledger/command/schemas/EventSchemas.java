package org.salesledger.command.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.salesledger.kernel.envelope.ActionTypes;
import org.springframework.stereotype.Component;

/**
 * The JSON Schema of each action type (draft 2020-12), as published in the repository's {@code docs/events/} and
 * packaged with the command side under {@value #LOCATION}. Every type of {@link ActionTypes} must have one; a test
 * checks them against the event records and the intake's validation.
 */
@Component
public class EventSchemas {

    public static final String LOCATION = "schemas/events/";
    public static final String SUFFIX = ".schema.json";

    private final Map<String, byte[]> byType = new LinkedHashMap<>();

    public EventSchemas() {
        for (String type : ActionTypes.names()) {
            read(type).ifPresent(schema -> byType.put(type, schema));
        }
    }

    /** The schema of a type, as published. */
    public Optional<byte[]> of(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The types that have a schema, in the contract's order. */
    public java.util.Set<String> types() {
        return byType.keySet();
    }

    /** The raw schema file of a type on the classpath, if there is one. */
    public static Optional<byte[]> read(String type) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(LOCATION + type + SUFFIX)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema of " + type, e);
        }
    }
}
