package org.salesledger.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.salesledger.command.intake.FieldError;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.EmbeddedAuthorizationServer;
import org.salesledger.infra.identity.Organisation;
import org.salesledger.infra.identity.Role;
import org.salesledger.infra.identity.User;
import org.salesledger.kernel.envelope.FieldLimits;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The users and the organisation (contract §7): {@code PUT /api/v1/admin/users/{id}}
 * {@code {name, roles, team?, region?, supervisorId?, active?}} creates or changes a user, stored as an event;
 * {@code GET /api/v1/admin/users[?history=true]} lists them; {@code POST …/{id}/credentials} gives the user a new
 * client of the embedded authorization server (the secret shown once).
 */
@RestController
@RequestMapping("/api/v1/admin/users")
class UsersController {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NAME = 1024;

    private final Organisation organisation;
    private final ObjectProvider<EmbeddedAuthorizationServer.TokenEndpoint> tokenEndpoint;
    private final ObjectProvider<PasswordEncoder> secrets;

    UsersController(Organisation organisation, ObjectProvider<EmbeddedAuthorizationServer.TokenEndpoint> tokenEndpoint,
                    ObjectProvider<PasswordEncoder> secrets) {
        this.organisation = organisation;
        this.tokenEndpoint = tokenEndpoint;
        this.secrets = secrets;
    }

    @PutMapping("/{userId}")
    ResponseEntity<Map<String, Object>> define(@PathVariable String userId, @RequestBody(required = false) String body,
                                               Caller caller) {
        List<FieldError> errors = new ArrayList<>();
        text("userId", userId, FieldLimits.ID, true, errors);
        JsonNode json = null;
        try {
            json = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (Exception e) {
            errors.add(new FieldError("body", "not JSON: " + e.getMessage().lines().findFirst().orElse("")));
        }
        if (json == null || !json.isObject()) {
            if (errors.isEmpty()) {
                errors.add(new FieldError("body", "a JSON object {name, roles, team?, region?, supervisorId?, active?}"));
            }
            return ResponseEntity.badRequest().body(Map.of("errors", errors));
        }
        String name = text("name", json.get("name"), MAX_NAME, true, errors);
        List<String> roles = new ArrayList<>();
        JsonNode roleList = json.get("roles");
        if (roleList == null || !roleList.isArray() || roleList.isEmpty()) {
            errors.add(new FieldError("roles", "a non-empty list of roles out of " + codes()));
        } else {
            for (int i = 0; i < roleList.size(); i++) {
                JsonNode role = roleList.get(i);
                Optional<Role> known = role.isTextual() ? Role.of(role.textValue()) : Optional.empty();
                if (known.isEmpty()) {
                    errors.add(new FieldError("roles[" + i + "]", "unknown role " + role + "; one of " + codes()));
                } else {
                    roles.add(known.get().code());
                }
            }
        }
        String team = text("team", json.get("team"), FieldLimits.ID, false, errors);
        String region = text("region", json.get("region"), FieldLimits.ID, false, errors);
        String supervisorId = text("supervisorId", json.get("supervisorId"), FieldLimits.ID, false, errors);
        if (supervisorId != null && errors.stream().noneMatch(e -> e.field().equals("supervisorId"))) {
            if (supervisorId.equals(userId)) {
                errors.add(new FieldError("supervisorId", "a user cannot supervise itself"));
            } else if (organisation.find(supervisorId).isEmpty()) {
                errors.add(new FieldError("supervisorId", "no user '" + supervisorId + "' is known; create it first"));
            }
        }
        JsonNode active = json.get("active");
        if (active != null && !active.isNull() && !active.isBoolean()) {
            errors.add(new FieldError("active", "true or false"));
        }
        if (!errors.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("errors", errors));
        }
        Organisation.Defined defined;
        try {
            defined = organisation.define(userId, new Organisation.Definition(name, roles, team, region, supervisorId,
                    active == null || active.isNull() || active.booleanValue()), caller.userId());
        } catch (Organisation.LastAdmin refused) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("errors",
                    List.of(new FieldError(refused.field(), refused.getMessage()))));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("userId", userId);
        answer.put("version", defined.user().version());
        answer.put("created", defined.created());
        answer.put("changed", defined.changed());
        answer.put("user", view(defined.user(), null));
        return ResponseEntity.ok(answer);
    }

    @GetMapping
    Map<String, Object> list(@RequestParam(defaultValue = "false") boolean history) {
        // every user's changes in one query, in their order, rather than one query per user
        Map<String, List<Organisation.Change>> changes = history
                ? organisation.history(null).stream().collect(Collectors.groupingBy(Organisation.Change::userId))
                : Map.of();
        return Map.of("users", organisation.all().stream()
                .map(u -> view(u, history ? changes.getOrDefault(u.userId(), List.of()) : null)).toList());
    }

    @GetMapping("/{userId}")
    ResponseEntity<Map<String, Object>> one(@PathVariable String userId) {
        return organisation.find(userId).map(u -> ResponseEntity.ok(view(u, organisation.history(userId))))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("errors",
                        List.of(new FieldError("userId", "no user '" + userId + "' is known")))));
    }

    @PostMapping("/{userId}/credentials")
    ResponseEntity<Map<String, Object>> credentials(@PathVariable String userId, Caller caller) {
        EmbeddedAuthorizationServer.TokenEndpoint endpoint = tokenEndpoint.getIfAvailable();
        PasswordEncoder encoder = secrets.getIfAvailable(PasswordEncoderFactories::createDelegatingPasswordEncoder);
        if (endpoint == null) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("errors", List.of(new FieldError("userId",
                    "tokens come from the external issuer (SALESLEDGER_OIDC_ISSUER_URI): give the user its "
                            + "credentials there"))));
        }
        Optional<User> user = organisation.find(userId);
        if (user.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("errors",
                    List.of(new FieldError("userId", "no user '" + userId + "' is known"))));
        }
        if (!user.get().active()) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("errors", List.of(new FieldError("userId",
                    "user '" + userId + "' is deactivated; reactivate it first (PUT with active: true)"))));
        }
        String secret = EmbeddedAuthorizationServer.newSecret();
        organisation.issueCredentials(userId, userId, encoder.encode(secret), caller.userId());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("clientId", userId);
        answer.put("clientSecret", secret);
        answer.put("tokenUrl", endpoint.url());
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    /** A user as the API shows it, with its changes when they are given. */
    private Map<String, Object> view(User user, List<Organisation.Change> history) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("userId", user.userId());
        view.put("name", user.name());
        view.put("roles", user.roles());
        view.put("team", user.team());
        view.put("region", user.region());
        view.put("supervisorId", user.supervisorId());
        view.put("active", user.active());
        view.put("version", user.version());
        view.put("changedAt", user.changedAt().toString());
        view.put("changedBy", user.changedBy());
        if (history != null) {
            view.put("history", history);
        }
        return view;
    }

    private static String text(String field, Object value, int max, boolean required, List<FieldError> errors) {
        String text;
        if (value == null || (value instanceof JsonNode node && node.isNull())) {
            text = null;
        } else if (value instanceof JsonNode node) {
            if (!node.isTextual()) {
                errors.add(new FieldError(field, "a string"));
                return null;
            }
            text = node.textValue();
        } else {
            text = value.toString();
        }
        if (text == null || text.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "required"));
            }
            return null;
        }
        if (text.length() > max) {
            errors.add(new FieldError(field, "at most " + max + " characters; got " + text.length()));
            return null;
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            errors.add(new FieldError(field, "no control characters"));
            return null;
        }
        return text;
    }

    private static List<String> codes() {
        return java.util.Arrays.stream(Role.values()).map(Role::code).toList();
    }
}
