package dev.svcaccounts.query.history;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.Parameters;
import dev.svcaccounts.query.project.ProjectAccessListing;
import dev.svcaccounts.query.serviceaccount.ServiceAccountView;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;

/**
 * The current endpoints' answers as they were at an instant ({@code ?at=}), for workspace admins: rebuilt from
 * the event store, not from the read models, so they do not lag and cover any moment of the workspace's life.
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}")
class PointInTimeController {

    private final EventStore eventStore;
    private final Clock clock;

    PointInTimeController(EventStore eventStore, Clock clock) {
        this.eventStore = eventStore;
        this.clock = clock;
    }

    @Operation(summary = "Who had which access to the project at an instant, why, "
            + "and who gave each explicit role (admin)")
    @GetMapping(path = "/projects/{key}/access", params = "at")
    ProjectAccessListing.Listing projectAccess(@PathVariable String ws, @PathVariable String key,
                                               @RequestParam String at, AuthenticatedPrincipal principal) {
        return workspaceAt(ws, at, principal).projectAccess(key).orElseThrow(() -> DomainRuleException.notFound(
                "project-not-found", "Project '" + key + "' was not found in workspace '" + ws + "'."));
    }

    @Operation(summary = "A service account as it was at an instant: tokens, assignments, effective access (admin)")
    @GetMapping(path = "/service-accounts/{id}", params = "at")
    ServiceAccountView serviceAccount(@PathVariable String ws, @PathVariable String id, @RequestParam String at,
                                      AuthenticatedPrincipal principal) {
        return workspaceAt(ws, at, principal).serviceAccount(id).orElseThrow(() -> DomainRuleException.notFound(
                "service-account-not-found", "Service account '" + id + "' was not found."));
    }

    private WorkspaceAt workspaceAt(String ws, String at, AuthenticatedPrincipal principal) {
        Guard.requireWorkspaceAdmin(principal, ws);
        Instant instant = instant(at);
        // from sequence number 0, never from a snapshot: the fold needs every event
        WorkspaceAt state = WorkspaceAt.replay(eventStore.readEvents(ws, 0), instant);
        if (!state.existed()) {
            throw DomainRuleException.notFound("workspace-not-found",
                    "Workspace '" + ws + "' did not exist yet at " + instant + ".");
        }
        return state;
    }

    private Instant instant(String value) {
        Instant instant = Parameters.instant("at", value);
        if (instant.isAfter(clock.instant())) {
            throw DomainRuleException.invalid("invalid-parameter",
                    "Parameter 'at' must not be in the future: history is known only up to now.");
        }
        return instant;
    }
}
