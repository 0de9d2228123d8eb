package org.salesledger.infra.kafka;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.salesledger.infra.kafka.relay.KafkaRelayHealth;
import org.salesledger.infra.kafka.relay.RelayMonitor;
import org.salesledger.infra.kafka.replay.KafkaReplays;
import org.salesledger.infra.kafka.replay.ReplayRefusedException;
import org.salesledger.infra.kafka.replay.ReplayStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' Kafka endpoints on the command side:
 * <ul>
 *   <li>{@code POST /api/v1/admin/kafka-replays {topic, from?, force?}}: republish history into a named topic →
 *       {@code 202} with the progress resource; {@code GET /api/v1/admin/kafka-replays[/{id}]} follows it;</li>
 *   <li>{@code GET /api/v1/admin/kafka-relay}: the relay's lag and parked events;
 *       {@code POST /api/v1/admin/kafka-relay/parked/retry} tries the parked events again.</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/v1/admin")
public class KafkaAdminController {

    private final KafkaReplays replays;
    private final RelayMonitor monitor;
    private final KafkaRelayHealth health;

    public KafkaAdminController(KafkaReplays replays, RelayMonitor monitor, KafkaRelayHealth health) {
        this.replays = replays;
        this.monitor = monitor;
        this.health = health;
    }

    /** The body of a replay request. */
    public record ReplayRequest(String topic, String from, Boolean force) {
    }

    @PostMapping("/kafka-replays")
    public ResponseEntity<?> start(@RequestBody(required = false) ReplayRequest request,
                                   org.springframework.web.context.request.WebRequest http) {
        if (request == null) {
            return problem(HttpStatus.BAD_REQUEST, "topic", "send {\"topic\": \"…\", \"from\": \"2025-01-01T00:00:00Z\"}"
                    + " (from is optional: without it the whole history is republished)");
        }
        Instant from = null;
        if (request.from() != null && !request.from().isBlank()) {
            try {
                from = OffsetDateTime.parse(request.from()).toInstant();
            } catch (DateTimeParseException e) {
                return problem(HttpStatus.BAD_REQUEST, "from", "from must be an RFC 3339 time with an offset, e.g. "
                        + "2025-01-01T00:00:00Z; got '" + request.from() + "'");
            }
        }
        if (Boolean.TRUE.equals(request.force()) && !http.isUserInRole("ADMIN")) {
            // contract §7: integrators replay into topics other than the live one; only an admin forces that
            return problem(HttpStatus.FORBIDDEN, "force", "only an admin may force a replay (into the live topic); "
                    + "replay into a topic of your own instead");
        }
        try {
            ReplayStatus status = replays.start(request.topic(), from, Boolean.TRUE.equals(request.force()));
            return ResponseEntity.accepted().location(URI.create("/api/v1/admin/kafka-replays/" + status.id()))
                    .body(status);
        } catch (ReplayRefusedException e) {
            return problem(e.reason() == ReplayRefusedException.Reason.CONFLICT ? HttpStatus.CONFLICT
                    : HttpStatus.BAD_REQUEST, e.field(), e.getMessage());
        }
    }

    @GetMapping("/kafka-replays")
    public List<ReplayStatus> replays() {
        return replays.all();
    }

    @GetMapping("/kafka-replays/{id}")
    public ResponseEntity<?> replay(@PathVariable String id) {
        return replays.status(id).<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> problem(
                HttpStatus.NOT_FOUND, "id", "no replay '" + id + "' in this process; GET /api/v1/admin/kafka-replays "
                        + "lists the replays started since it started"));
    }

    @GetMapping("/kafka-relay")
    public Map<String, Object> relay() {
        var current = health.health();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", current.getStatus().getCode());
        body.putAll(current.getDetails());
        body.put("parked", monitor.parkedCustomers(100));
        return body;
    }

    @PostMapping("/kafka-relay/parked/retry")
    public Map<String, Object> retryParked() {
        int released = monitor.retryParked();
        return Map.of("customersReleased", released, "parkedEvents", monitor.parked());
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String field, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setProperty("message", message);
        if (field != null) {
            problem.setProperty("field", field);
        }
        return ResponseEntity.status(status).body(problem);
    }
}
