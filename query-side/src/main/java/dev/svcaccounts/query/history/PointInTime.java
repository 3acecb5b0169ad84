package dev.svcaccounts.query.history;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.Parameters;
import dev.svcaccounts.query.policy.TokenPolicyView;
import dev.svcaccounts.query.project.ProjectAccessListing;
import dev.svcaccounts.query.serviceaccount.ServiceAccountView;
import dev.svcaccounts.refusals.DomainRuleException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;

/**
 * The current endpoints' answers as they were at an instant ({@code ?at=}), for workspace admins: rebuilt from
 * the event store, not from the read models, so they do not lag and cover any moment of the workspace's life.
 * The endpoints that answer with or without {@code at} call it when {@code at} is sent (one operation each in the
 * API documents, with an optional {@code at}).
 */
@Component
public class PointInTime {

    /** The {@code at} parameter, as the API documents describe it. */
    public static final String AT = "An instant (ISO-8601 with an offset or Z, years 1-9999, not in the future): "
            + "the answer as it was then, for workspace admins. Absent: the answer now.";

    private final EventStore eventStore;
    private final Clock clock;

    PointInTime(EventStore eventStore, Clock clock) {
        this.eventStore = eventStore;
        this.clock = clock;
    }

    /** Who had which access to the project at {@code at}, why, and who gave each explicit role. */
    public ProjectAccessListing.Listing projectAccess(String ws, String key, String at,
                                                      AuthenticatedPrincipal principal) {
        return workspaceAt(ws, at, principal).projectAccess(key).orElseThrow(() -> DomainRuleException.notFound(
                "project-not-found", "Project '" + key + "' was not found in workspace '" + ws + "'."));
    }

    /** A service account as it was at {@code at}: tokens, assignments, effective access. */
    public ServiceAccountView serviceAccount(String ws, String id, String at, AuthenticatedPrincipal principal) {
        return workspaceAt(ws, at, principal).serviceAccount(id).orElseThrow(() -> DomainRuleException.notFound(
                "service-account-not-found", "Service account '" + id + "' was not found."));
    }

    /** The credential policy in force at {@code at}: the default if none had been set by then. */
    public TokenPolicyView tokenPolicy(String ws, String at, AuthenticatedPrincipal principal) {
        return workspaceAt(ws, at, principal).tokenPolicy();
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
