package dev.svcaccounts.query.compliance;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Compliance reports for a workspace's admins: tokens that never expire, are old or go unused, and service
 * accounts whose assignments deserve a look. Who has access to one project, and why, is {@code .../access}.
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}/compliance")
class ComplianceController {

    record Page<T>(List<T> items) {
    }

    private final ComplianceReadModel readModel;

    ComplianceController(ComplianceReadModel readModel) {
        this.readModel = readModel;
    }

    @Refusals({"403 workspace-admin-required"})
    @Operation(operationId = "listWorkingTokens",
            summary = "Working tokens (not revoked, not expired) of service accounts and users, oldest first; "
            + "the filters given are combined with AND")
    @Parameter(name = TokenReportFilter.WITHOUT_EXPIRY, in = ParameterIn.QUERY, schema = @Schema(type = "boolean"),
            description = "true: only tokens that never expire; false: only tokens that do")
    @Parameter(name = TokenReportFilter.OLDER_THAN_DAYS, in = ParameterIn.QUERY,
            schema = @Schema(type = "integer", format = "int32", minimum = "0", maximum = "36500"),
            description = "only tokens created more than N days ago")
    @Parameter(name = TokenReportFilter.UNUSED_FOR_DAYS, in = ParameterIn.QUERY,
            schema = @Schema(type = "integer", format = "int32", minimum = "0", maximum = "36500"),
            description = "only tokens last used more than N days ago, or never used and created more than N days ago")
    @Parameter(name = TokenReportFilter.BREAKS_POLICY, in = ParameterIn.QUERY, schema = @Schema(type = "boolean"),
            description = "true: only tokens that break a rule of the workspace's credential policy (listed in "
            + "policyViolations); false: only tokens that follow it")
    @GetMapping("/tokens")
    Page<ComplianceTokenView> tokens(@PathVariable String ws,
                                     @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> parameters,
                                     AuthenticatedPrincipal principal) {
        Guard.requireWorkspaceAdmin(principal, ws);
        return new Page<>(readModel.tokens(ws, TokenReportFilter.of(parameters)));
    }

    @Refusals({"403 workspace-admin-required"})
    @Operation(operationId = "listServiceAccountsWithOwner",
            summary = "Service accounts (not deleted) holding the explicit owner role on a project, "
            + "with those projects")
    @GetMapping("/service-accounts-with-owner")
    Page<ServiceAccountAssignmentsView> owners(@PathVariable String ws, AuthenticatedPrincipal principal) {
        Guard.requireWorkspaceAdmin(principal, ws);
        return new Page<>(readModel.owners(ws));
    }

    @Refusals({"403 workspace-admin-required"})
    @Operation(operationId = "listDeactivatedServiceAccountsWithAssignments",
            summary = "Deactivated service accounts that still hold assignments, with the projects and roles")
    @GetMapping("/deactivated-service-accounts-with-assignments")
    Page<ServiceAccountAssignmentsView> deactivatedWithAssignments(@PathVariable String ws,
                                                                   AuthenticatedPrincipal principal) {
        Guard.requireWorkspaceAdmin(principal, ws);
        return new Page<>(readModel.deactivatedWithAssignments(ws));
    }
}
