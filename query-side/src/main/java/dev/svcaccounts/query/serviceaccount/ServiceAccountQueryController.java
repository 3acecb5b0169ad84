package dev.svcaccounts.query.serviceaccount;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectAccessStore;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.query.AccessibleProjectView;
import dev.svcaccounts.query.TokenWithLastUse;
import dev.svcaccounts.query.federation.FederationRuleReadModel;
import dev.svcaccounts.query.federation.FederationRuleView;
import dev.svcaccounts.query.history.PointInTime;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Set;

/**
 * Service accounts of a workspace, for its admins and (in summary) its project owners ({@link ServiceAccountReaders});
 * token metadata, with each token's last use, for admins only. Never a secret.
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}/service-accounts")
class ServiceAccountQueryController {

    private static final Set<String> STATUSES = Set.of("active", "deactivated", "deleted");

    record Page<T>(List<T> items) {
    }

    private final ServiceAccountReadModel readModel;
    private final ProjectAccessStore accessStore;
    private final PointInTime pointInTime;
    private final ServiceAccountReaders readers;
    private final FederationRuleReadModel federationRules;

    ServiceAccountQueryController(ServiceAccountReadModel readModel, ProjectAccessStore accessStore,
                                  PointInTime pointInTime, ServiceAccountReaders readers,
                                  FederationRuleReadModel federationRules) {
        this.readModel = readModel;
        this.federationRules = federationRules;
        this.readers = readers;
        this.accessStore = accessStore;
        this.pointInTime = pointInTime;
    }

    @Refusals({"403 project-owner-or-admin-required"})
    @Operation(operationId = "listServiceAccounts",
            summary = "List service accounts (deleted ones only with status=deleted): every field for workspace "
            + "admins; id, name, description, status and createdAt for the owners of a project")
    @GetMapping
    Page<ServiceAccountView> list(@PathVariable String ws,
                                  @Parameter(schema = @Schema(allowableValues = {"active", "deactivated", "deleted"}))
                                  @RequestParam(required = false) String status,
                                  AuthenticatedPrincipal principal) {
        ServiceAccountReaders.Sight sight = readers.require(principal, ws);
        if (status != null && !STATUSES.contains(status)) {
            throw DomainRuleException.invalid("invalid-parameter",
                    "Parameter 'status' must be one of active, deactivated, deleted.");
        }
        List<ServiceAccountView> accounts = readModel.list(ws, status);
        return new Page<>(sight == ServiceAccountReaders.Sight.FULL ? accounts
                : accounts.stream().map(ServiceAccountView::summary).toList());
    }

    @Refusals({"403 project-owner-or-admin-required", "403 workspace-admin-required",
        "404 service-account-not-found"})
    @Operation(operationId = "getServiceAccount", summary = "One service account with its token metadata, its "
            + "assignments, its effective access and its federation rules (workspace admins; the owners of a project "
            + "get id, name, "
            + "description, status and createdAt); with 'at' (admins only), as it was at that instant (rebuilt "
            + "from the events)")
    @GetMapping("/{id}")
    ServiceAccountView get(@PathVariable String ws, @PathVariable String id,
                           @Parameter(description = PointInTime.AT,
                                   schema = @Schema(format = "date-time", maxLength = 64))
                           @RequestParam(required = false) String at,
                           AuthenticatedPrincipal principal) {
        if (at != null) {
            return pointInTime.serviceAccount(ws, id, at, principal);
        }
        if (readers.require(principal, ws) == ServiceAccountReaders.Sight.SUMMARY) {
            return find(ws, id).summary();
        }
        return find(ws, id).withDetails(readModel.tokens(ws, id).stream().map(TokenWithLastUse::token).toList(),
                readModel.projects(ws, id), AccessibleProjectView.of(
                accessStore.accessOf(ws, PrincipalType.SERVICE_ACCOUNT, id)
                        .map(ProjectAccessStore.PrincipalAccess::projects).orElse(List.of())),
                federationRules.rulesOf(ws, id));
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found"})
    @Operation(operationId = "listFederationRules", summary = "The federation rules of a service account in force "
            + "(workspace admins): which external identities' JWTs may be exchanged for its tokens; with 'at', those "
            + "in force at that instant (rebuilt from the events)")
    @GetMapping("/{id}/federation-rules")
    Page<FederationRuleView> federationRules(@PathVariable String ws, @PathVariable String id,
                                             @Parameter(description = PointInTime.AT,
                                                     schema = @Schema(format = "date-time", maxLength = 64))
                                             @RequestParam(required = false) String at,
                                             AuthenticatedPrincipal principal) {
        if (at != null) {
            return new Page<>(pointInTime.serviceAccount(ws, id, at, principal).federationRules());
        }
        Guard.requireWorkspaceAdmin(principal, ws);
        find(ws, id);
        return new Page<>(federationRules.rulesOf(ws, id));
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found"})
    @Operation(operationId = "listServiceAccountTokens",
            summary = "Token metadata of a service account (workspace admins): id, hint, status, expiry, last use; "
            + "never the secret")
    @GetMapping("/{id}/tokens")
    Page<TokenWithLastUse> tokens(@PathVariable String ws, @PathVariable String id, AuthenticatedPrincipal principal) {
        Guard.requireWorkspaceAdmin(principal, ws);
        find(ws, id);
        return new Page<>(readModel.tokens(ws, id));
    }

    private ServiceAccountView find(String ws, String id) {
        return readModel.find(ws, id).orElseThrow(() -> DomainRuleException.notFound("service-account-not-found",
                "Service account '" + id + "' was not found."));
    }
}
