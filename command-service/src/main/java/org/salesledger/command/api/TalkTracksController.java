package org.salesledger.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.salesledger.command.rules.RuleError;
import org.salesledger.command.rules.RuleParser;
import org.salesledger.command.rules.TalkTrackLibrary;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The talk-track knowledge base: {@code POST /api/v1/talk-tracks} {@code {id, title, text, tags?}} (author in
 * {@code X-Actor}) adds a script; {@code GET /api/v1/talk-tracks} lists them.
 */
@RestController
@RequestMapping("/api/v1/talk-tracks")
class TalkTracksController {

    private final TalkTrackLibrary library;

    TalkTracksController(TalkTrackLibrary library) {
        this.library = library;
    }

    @GetMapping
    Map<String, Object> list() {
        return Map.of("scripts", library.scripts());
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(@RequestHeader(value = RulesController.ACTOR, required = false) String header,
                                               @RequestBody JsonNode body, org.salesledger.infra.identity.Caller caller) {
        String actor = Actors.of(caller, header);
        List<RuleError> errors = new ArrayList<>();
        if (actor == null || actor.isBlank()) {
            errors.add(new RuleError(RulesController.ACTOR, "the header " + RulesController.ACTOR
                    + " must name who adds the script", null, null));
        }
        String id = text(body, "id", errors);
        if (id != null && !RuleParser.RULE_ID.matcher(id).matches()) {
            errors.add(new RuleError("id", "must be 1 to 100 letters, digits, '.', '_' or '-'", null, null));
        }
        String title = text(body, "title", errors);
        String text = text(body, "text", errors);
        List<String> tags = new ArrayList<>();
        JsonNode tagNode = body.get("tags");
        if (tagNode != null && !tagNode.isNull()) {
            if (!tagNode.isArray()) {
                errors.add(new RuleError("tags", "must be a list of strings", null, null));
            } else {
                tagNode.forEach(t -> {
                    if (t.isTextual()) {
                        tags.add(t.asText());
                    } else {
                        errors.add(new RuleError("tags", "must be a list of strings", null, null));
                    }
                });
            }
        }
        if (!errors.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("errors", errors));
        }
        String refusal = library.create(id, title, text, tags, actor.strip());
        if (refusal != null) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("message", refusal, "errors",
                    List.of(new RuleError("id", refusal, null, null))));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", id));
    }

    private static String text(JsonNode body, String name, List<RuleError> errors) {
        JsonNode value = body == null ? null : body.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            errors.add(new RuleError(name, "is required: a non-blank string", null, null));
            return null;
        }
        return value.asText();
    }
}
