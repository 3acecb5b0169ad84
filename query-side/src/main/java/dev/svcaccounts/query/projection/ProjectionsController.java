package dev.svcaccounts.query.projection;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

/**
 * The query side's processing groups for the operator: how far each is behind the event store, and replays that
 * rebuild one read model from the first event while the others keep serving. Answers hold for the whole cluster,
 * whichever query node is asked.
 */
@RestController
class ProjectionsController {

    record Page<T>(List<T> items) {
    }

    private final ProjectionStatuses statuses;
    private final ReplayTable replays;
    private final ReplayCoordinator coordinator;
    private final IdempotentTransactions idempotent;

    ProjectionsController(ProjectionStatuses statuses, ReplayTable replays, ReplayCoordinator coordinator,
                          IdempotentTransactions idempotent) {
        this.statuses = statuses;
        this.replays = replays;
        this.coordinator = coordinator;
        this.idempotent = idempotent;
    }

    @Refusals({"403 operator-required"})
    @Operation(operationId = "listProjections",
            summary = "Every query-side processing group: position, lag behind the store's head, segment owners, "
            + "replay progress (operator)")
    @GetMapping("/v1/admin/projections")
    Page<ProjectionStatus> projections(AuthenticatedPrincipal principal) {
        Guard.requireOperator(principal);
        return new Page<>(statuses.all());
    }

    @Refusals({"403 operator-required", "404 projection-not-found"})
    @Operation(operationId = "getProjection",
            summary = "One query-side processing group (operator)")
    @GetMapping("/v1/admin/projections/{name}")
    ProjectionStatus projection(@PathVariable String name, AuthenticatedPrincipal principal) {
        Guard.requireOperator(principal);
        return statuses.of(name).orElseThrow(() -> unknown(name));
    }

    @Refusals({"403 operator-required", "404 projection-not-found", "409 replay-in-progress"})
    @Operation(operationId = "replayProjection",
            summary = "Rebuild one read model from the first event on every query node; "
            + "202, progress at the Location (operator)")
    @ApiResponse(responseCode = "202", description = "Accepted: the rebuild runs on every query node",
            useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "Where its progress shows: /v1/admin/projections/{name}",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 300)))
    @ResponseStatus(HttpStatus.ACCEPTED) // for the API documents; the answer sets it
    @PostMapping("/v1/admin/projections/{name}/replay")
    ResponseEntity<ProjectionStatus> replay(@PathVariable String name, AuthenticatedPrincipal principal,
                                            AuditContext context) {
        Guard.requireOperator(principal);
        ResponseEntity<ProjectionStatus> answer = idempotent.run(() -> {
            ProjectionStatus current = statuses.of(name).orElseThrow(() -> unknown(name));
            if (current.replay() != null) {
                throw alreadyRunning(name);
            }
            replays.request(name, principal.id(), context.requestId(), context.reason())
                    .orElseThrow(() -> alreadyRunning(name));
            return ResponseEntity.accepted().location(URI.create("/v1/admin/projections/" + name))
                    .body(statuses.of(name).orElseThrow());
        });
        coordinator.checkSoon();
        return answer;
    }

    private DomainRuleException unknown(String name) {
        return DomainRuleException.notFound("projection-not-found",
                "No query-side processing group is named '" + name + "'. There are: " + statuses.names() + ".");
    }

    private static DomainRuleException alreadyRunning(String name) {
        return DomainRuleException.conflict("replay-in-progress", "'" + name
                + "' is being replayed already; its progress is at /v1/admin/projections/" + name + ".");
    }
}
