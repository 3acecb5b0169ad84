package dev.svcaccounts.query.policy;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.query.history.PointInTime;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The credential policy in force: any principal of the workspace may read it (users issue their own tokens under
 * it); as it was at an instant, workspace admins only, like every {@code ?at=}.
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}/policies/tokens")
class TokenPolicyQueryController {

    private final TokenPolicyReadModel readModel;
    private final PointInTime pointInTime;

    TokenPolicyQueryController(TokenPolicyReadModel readModel, PointInTime pointInTime) {
        this.readModel = readModel;
        this.pointInTime = pointInTime;
    }

    @Refusals({"403 workspace-admin-required", "404 workspace-not-found"})
    @Operation(operationId = "getTokenPolicy", summary = "The workspace's credential policy (the default, requiring "
            + "nothing, when none was set); with 'at' (admins only), the policy in force at that instant")
    @GetMapping
    TokenPolicyView get(@PathVariable String ws,
                        @Parameter(description = PointInTime.AT, schema = @Schema(format = "date-time", maxLength = 64))
                        @RequestParam(required = false) String at,
                        AuthenticatedPrincipal principal) {
        if (at != null) {
            return pointInTime.tokenPolicy(ws, at, principal);
        }
        Guard.requireWorkspaceLevel(principal, ws);
        return readModel.current(ws);
    }
}
