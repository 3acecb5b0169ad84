package dev.svcaccounts.command.policy;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A workspace's credential policy, set by its admins; the aggregate checks the ranges and decides enforcement. */
@RestController
@RequestMapping("/v1/workspaces/{ws}/policies/tokens")
class TokenPolicyController {

    /** The whole policy: a field left out takes its default (no limit, nothing required, everything allowed). */
    record TokenPolicyRequest(
            @Schema(description = "The most a new token may live, in days; absent: no maximum",
                    minimum = "1", maximum = "3650") Integer maxLifetimeDays,
            @Schema(description = "Every new token must expire; default false") Boolean requireExpiry,
            @Schema(description = "Tokens unused for longer are revoked (cause idle); absent: never",
                    minimum = "1", maximum = "3650") Integer maxIdleDays,
            @Schema(description = "false: no token for service accounts; default true")
            Boolean allowServiceAccountTokens,
            @Schema(description = "true: existing tokens are brought into line now (older than maxLifetimeDays "
                    + "revoked, longer-lived ones shortened; idle time counted from their last use however old); "
                    + "default false") Boolean enforce) {

        TokenPolicy policy() {
            return new TokenPolicy(maxLifetimeDays, Boolean.TRUE.equals(requireExpiry), maxIdleDays,
                    !Boolean.FALSE.equals(allowServiceAccountTokens));
        }
    }

    /** The policy recorded, and what enforcing it did to existing tokens. */
    record TokenPolicyResponse(Integer maxLifetimeDays, boolean requireExpiry, Integer maxIdleDays,
                               boolean allowServiceAccountTokens, boolean enforced, int revokedTokens,
                               int shortenedTokens) {

        static TokenPolicyResponse of(PolicyDecision decision) {
            TokenPolicy p = decision.policy();
            return new TokenPolicyResponse(p.maxLifetimeDays(), p.requireExpiry(), p.maxIdleDays(),
                    p.allowServiceAccountTokens(), decision.enforced(), decision.revokedTokens(),
                    decision.shortenedTokens());
        }
    }

    private final CommandSender commands;

    TokenPolicyController(CommandSender commands) {
        this.commands = commands;
    }

    @Refusals({"403 workspace-admin-required", "400 invalid-policy"})
    @Operation(operationId = "setTokenPolicy",
            summary = "Set the workspace's credential policy (admins only): maximum lifetime, required expiry, "
            + "maximum idle time, service-account tokens allowed; with enforce, existing tokens follow at once")
    @PutMapping
    ResponseEntity<TokenPolicyResponse> set(@PathVariable String ws,
                                            @RequestBody(required = false) TokenPolicyRequest request,
                                            AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        TokenPolicyRequest body = request != null ? request : new TokenPolicyRequest(null, null, null, null, null);
        return commands.respond(new SetTokenPolicyCommand(ws, body.policy(), Boolean.TRUE.equals(body.enforce()),
                principal.ref()), principal, audit,
                (PolicyDecision decision) -> ResponseEntity.ok(TokenPolicyResponse.of(decision)));
    }
}
