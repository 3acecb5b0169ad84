package dev.svcaccounts.command.federation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * A service account's federation rules: which external identities (a CI job's OIDC token) may exchange their JWT for
 * a short-lived token of the account. Workspace admins only; the request's shape is checked here
 * ({@link FederationRuleRequest}), everything else by the aggregate ({@link FederationRules}).
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}/service-accounts/{id}/federation-rules")
class FederationRuleController {

    private final CommandSender commands;
    private final FederationSettings settings;
    private final ObjectMapper json;

    FederationRuleController(CommandSender commands, FederationSettings settings, ObjectMapper json) {
        this.commands = commands;
        this.settings = settings;
        this.json = json;
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found", "400 invalid-federation-rule",
            "400 jwks-private-key", "400 federation-rule-too-broad", "409 federation-rule-limit-reached",
            "409 federation-rule-exists"})
    @Operation(operationId = "addFederationRule", summary = "Let JWTs of an external issuer (a CI system's OIDC "
            + "tokens) that match the rule be exchanged for short-lived tokens of the service account (admins only; "
            + "at most 20 rules per account)")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // for the API documents; the answer sets it
    ResponseEntity<FederationRuleView> add(@PathVariable String ws, @PathVariable String id,
                                           @RequestBody FederationRuleRequest request,
                                           AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        FederationRule rule = request.toRule(UUID.randomUUID().toString(), settings.allowHttp());
        return commands.respond(new AddFederationRuleCommand(ws, id, rule, principal.ref()), principal, audit,
                (FederationRule added) -> ResponseEntity.status(HttpStatus.CREATED)
                        .body(FederationRuleView.of(added, json)));
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found", "404 federation-rule-not-found"})
    @Operation(operationId = "removeFederationRule", summary = "Delete a federation rule of a service account "
            + "(admins only): no JWT is exchanged by it from then on; tokens it gave work until they expire or are "
            + "revoked")
    @DeleteMapping("/{ruleId}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // for the API documents; the answer sets it
    ResponseEntity<Void> remove(@PathVariable String ws, @PathVariable String id, @PathVariable String ruleId,
                                AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        return commands.respond(new RemoveFederationRuleCommand(ws, id, ruleId, principal.ref()), principal, audit,
                none -> ResponseEntity.noContent().build());
    }
}
