package org.salesledger.command.api;

import org.salesledger.command.intake.ImportSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.salesledger.command.intake.ActionImport;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Permission;
import org.salesledger.command.intake.GroupCommit;
import org.salesledger.command.intake.BodyTooLargeException;
import org.salesledger.command.intake.EnvelopeReader;
import org.salesledger.command.intake.FieldError;
import org.salesledger.command.intake.IncomingAction;
import org.salesledger.command.intake.IntakeOutcome;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The command HTTP API of contract §3: one action, or an NDJSON import of many. */
@EnableConfigurationProperties({ActionSettings.class, ImportSettings.class})
@RestController
@RequestMapping("/api/v1")
class ActionsController {

    static final String DEVICE_HEADER = "X-Device-Id";

    private final GroupCommit intake;
    private final ActionImport importer;
    private final long maxActionBytes;
    private final long maxImportBytes;

    ActionsController(GroupCommit intake, ActionImport importer,
                      ActionSettings actions, ImportSettings imports) {
        this.intake = intake;
        this.importer = importer;
        this.maxActionBytes = actions.maxBodyBytes();
        this.maxImportBytes = imports.maxBodyBytes();
    }

    /** One envelope: 202 {id, duplicate} when stored (now or before), 400 {errors} with nothing stored. */
    @PostMapping("/actions")
    ResponseEntity<Map<String, Object>> record(HttpServletRequest request, Caller caller) throws IOException {
        List<FieldError> header = EnvelopeReader.checkDeviceId(DEVICE_HEADER, request.getHeader(DEVICE_HEADER));
        if (!header.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("errors", header));
        }
        String body = new String(readAtMost(request, maxActionBytes), StandardCharsets.UTF_8);
        EnvelopeReader.Result read = EnvelopeReader.read(body, sender(request, caller));
        if (!read.ok()) {
            boolean forbidden = read.errors().stream().anyMatch(e -> e.field().equals("actor")
                    && e.message().startsWith(EnvelopeReader.NOT_THE_CALLER));
            return ResponseEntity.status(forbidden ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST)
                    .body(Map.of("errors", read.errors()));
        }
        IntakeOutcome outcome = intake.record(read.action());
        return switch (outcome.status()) {
            case RECORDED, DUPLICATE -> ResponseEntity.status(HttpStatus.ACCEPTED)
                    .body(Map.of("id", outcome.id(), "duplicate", outcome.status() == IntakeOutcome.Status.DUPLICATE));
            case REFUSED -> ResponseEntity.status(outcome.httpStatus()).body(Map.of("errors", List.of(outcome.error())));
        };
    }

    /**
     * NDJSON, streamed: 200 with the counts and every refused line's reasons; 400 {errors} with nothing read when a
     * header is wrong (it would apply to every line).
     */
    @PostMapping("/import")
    ResponseEntity<?> importLines(HttpServletRequest request, Caller caller) throws IOException {
        if (request.getContentLengthLong() > maxImportBytes) {
            throw new BodyTooLargeException(maxImportBytes);
        }
        List<FieldError> header = EnvelopeReader.checkDeviceId(DEVICE_HEADER, request.getHeader(DEVICE_HEADER));
        if (!header.isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("errors", header));
        }
        return ResponseEntity.ok(importer.importLines(request.getInputStream(), maxImportBytes,
                sender(request, caller)));
    }

    /**
     * Who sends (contract §7): stored as {@code recordedBy}; a rep, supervisor or director must be the
     * {@code actor} (a missing one is the caller) and acts only on the customers of its scope; an admin or an
     * integrator names any actor, for any customer.
     */
    private static IncomingAction.Sender sender(HttpServletRequest request, Caller caller) {
        String device = request.getHeader(DEVICE_HEADER);
        return new IncomingAction.Sender(request.getRemoteAddr(), device == null || device.isBlank() ? null : device,
                caller.userId(), caller.mayActForOthers() ? null : caller.userId(),
                caller.scopeFor(Permission.ACTIONS_WRITE));
    }

    private static byte[] readAtMost(HttpServletRequest request, long limit) throws IOException {
        if (request.getContentLengthLong() > limit) {
            throw new BodyTooLargeException(limit);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                throw new BodyTooLargeException(limit);
            }
            return bytes;
        }
    }
}
