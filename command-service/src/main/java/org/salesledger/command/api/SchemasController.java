package org.salesledger.command.api;

import java.util.List;
import java.util.Map;
import org.salesledger.command.schemas.EventSchemas;
import org.salesledger.kernel.envelope.ActionTypes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The action schemas for integrators: {@code GET /api/v1/schemas} lists them, {@code GET /api/v1/schemas/{type}}
 * serves one (JSON Schema draft 2020-12, {@code application/schema+json}).
 */
@RestController
@RequestMapping("/api/v1/schemas")
class SchemasController {

    static final MediaType SCHEMA_JSON = MediaType.parseMediaType("application/schema+json");

    private final EventSchemas schemas;

    SchemasController(EventSchemas schemas) {
        this.schemas = schemas;
    }

    @GetMapping
    Map<String, Object> list() {
        List<Map<String, String>> listed = schemas.types().stream()
                .map(type -> Map.of("type", type, "href", "/api/v1/schemas/" + type)).toList();
        return Map.of("dialect", "https://json-schema.org/draft/2020-12/schema", "schemas", listed);
    }

    @GetMapping("/{type}")
    ResponseEntity<?> schema(@PathVariable String type) {
        return schemas.of(type).<ResponseEntity<?>>map(body -> ResponseEntity.ok().contentType(SCHEMA_JSON)
                .body(body)).orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ApiErrors.problem(HttpStatus.NOT_FOUND, ActionTypes.byName(type).isPresent()
                        ? "no schema has been published for type '" + type + "' yet"
                        : "no action type '" + type + "'; the v1 types are " + schemas.types()
                        + " (names are case-sensitive)")));
    }
}
