package dev.svcaccounts.query.verification;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.query.projection.IdempotentTransactions;
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

/**
 * Whole-store verification of the audit trail for the operator: every event of the store hashed again against the
 * Merkle log, the tree rebuilt from the store and compared with every signed checkpoint. One runs at a time in the
 * cluster; any query node answers for any verification.
 */
@RestController
class VerificationsController {

    static final String PATH = "/v1/admin/audit/verifications/";

    private final VerificationTable table;
    private final VerificationRunner runner;
    private final IdempotentTransactions idempotent;

    VerificationsController(VerificationTable table, VerificationRunner runner, IdempotentTransactions idempotent) {
        this.table = table;
        this.runner = runner;
        this.idempotent = idempotent;
    }

    @Refusals({"403 operator-required", "409 verification-in-progress"})
    @Operation(operationId = "verifyAuditTrail",
            summary = "Verify the whole event store against the Merkle log and every signed checkpoint; "
            + "202, progress and result at the Location (operator)")
    @ApiResponse(responseCode = "202", description = "Accepted: a query node runs the verification",
            useReturnTypeSchema = true,
            headers = @Header(name = "Location",
                    description = "Where its progress and result show: /v1/admin/audit/verifications/{id}",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 100)))
    @ResponseStatus(HttpStatus.ACCEPTED) // for the API documents; the answer sets it
    @PostMapping("/v1/admin/audit/verify")
    ResponseEntity<Verification> verify(AuthenticatedPrincipal principal, AuditContext context) {
        Guard.requireOperator(principal);
        ResponseEntity<Verification> answer = idempotent.run(() -> {
            table.abandonStale(runner.lease());
            Verification started = table.request(principal.id(), context.requestId(), context.reason())
                    .orElseThrow(() -> inProgress(table.running().map(Verification::verificationId).orElse(null)));
            return ResponseEntity.accepted().location(URI.create(PATH + started.verificationId())).body(started);
        });
        runner.checkSoon();
        return answer;
    }

    @Refusals({"403 operator-required", "404 verification-not-found"})
    @Operation(operationId = "getAuditVerification",
            summary = "A verification of the audit trail: progress, then passed or the first failure (operator)")
    @GetMapping(PATH + "{id}")
    Verification verification(@PathVariable String id, AuthenticatedPrincipal principal) {
        Guard.requireOperator(principal);
        return table.find(id).orElseThrow(() -> DomainRuleException.notFound("verification-not-found",
                "No audit verification has the id '" + id + "'. POST /v1/admin/audit/verify starts one."));
    }

    private static DomainRuleException inProgress(String runningId) {
        if (runningId == null) {
            return DomainRuleException.conflict("verification-in-progress",
                    "A verification of the audit trail is running already; try again when it has finished.");
        }
        return DomainRuleException.conflict("verification-in-progress", "A verification of the audit trail is "
                + "running already; its progress and result are at " + PATH + runningId + ".")
                .with("verificationId", runningId);
    }
}
