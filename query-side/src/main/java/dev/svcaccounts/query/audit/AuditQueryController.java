package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.Parameters;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.query.integrity.CheckpointView;
import dev.svcaccounts.query.integrity.InclusionProofs;
import dev.svcaccounts.query.integrity.ProofSession;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * The workspace audit trail for its admins, in event-store order: a page with a cursor (with proofs on request), and
 * the timeline of one account (what was done to it and what it did); the export is {@link AuditExportController}.
 */
@RestController
class AuditQueryController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    static final String PROOFS = "true: each entry gets 'proof', its inclusion proof against the checkpoint, and "
            + "the answer ends at the checkpoint's last entry";
    static final String CHECKPOINT = "with proofs=true: the tree size of the checkpoint to prove against (default "
            + "the latest)";

    /**
     * A page: at most {@code limit} ({@value #MAX_LIMIT}) entries; {@code next} is the cursor of the next one;
     * {@code checkpoint} the one the entries' proofs lead to, with {@code proofs=true} only.
     */
    record AuditPage(@ArraySchema(maxItems = MAX_LIMIT) List<AuditEntryView> items,
                     @Schema(pattern = "^[0-9]{1,18}$", maxLength = 18) String next,
                     @JsonInclude(JsonInclude.Include.NON_NULL) CheckpointView checkpoint) {
    }

    static final String PROOF_REFUSALS_404 = "404 " + InclusionProofs.CHECKPOINT_NOT_FOUND;
    static final String PROOF_REFUSALS_404_SIGNING = "404 " + InclusionProofs.SIGNING_NOT_CONFIGURED;
    static final String PROOF_REFUSALS_409 = "409 " + InclusionProofs.NO_CHECKPOINT;

    /** An entry of an account's timeline; {@code relation}: target (done to it), actor (done by it), or both. */
    record TimelineEntry(String relation, @JsonUnwrapped AuditEntryView entry) {
    }

    record Timeline(String account, @ArraySchema(maxItems = MAX_LIMIT) List<TimelineEntry> items,
                    @Schema(pattern = "^[0-9]{1,18}$", maxLength = 18) String next) {
    }

    private final AuditReadModel readModel;
    private final AuditProofs auditProofs;

    AuditQueryController(AuditReadModel readModel, AuditProofs auditProofs) {
        this.readModel = readModel;
        this.auditProofs = auditProofs;
    }

    @Refusals({"403 workspace-admin-required", PROOF_REFUSALS_404, PROOF_REFUSALS_404_SIGNING,
        PROOF_REFUSALS_409})
    @Operation(operationId = "listAuditEntries",
            summary = "Audit trail: filters actor (a user or service account; with actorType, any type), "
            + "actorType, subject, subjectType, project, type, token, correlationId, from, to (ISO-8601); "
            + "cursor 'after'; proofs=true adds each entry's inclusion proof against a checkpoint")
    @GetMapping("/v1/workspaces/{ws}/audit")
    AuditPage audit(@PathVariable String ws, @ParameterObject AuditFilters filters,
                    @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1",
                                            maximum = "500"))
                    @RequestParam(required = false) String limit,
                    @Parameter(description = PROOFS, schema = @Schema(type = "boolean"))
                    @RequestParam(required = false) String proofs,
                    @Parameter(description = CHECKPOINT, schema = @Schema(type = "integer", format = "int64",
                            minimum = "1")) @RequestParam(required = false) String checkpoint,
                    AuthenticatedPrincipal principal) {
        Guard.requireWorkspaceAdmin(principal, ws);
        int pageSize = pageSize(limit);
        AuditQuery query = filters.query(ws);
        ProofSession proven = auditProofs.requested(proofs, checkpoint);
        List<AuditEntryView> items = readModel.find(query, AuditProofs.cut(readModel.completeUpTo(), proven),
                pageSize);
        return new AuditPage(AuditProofs.attach(items, proven), nextCursor(items, pageSize),
                proven == null ? null : CheckpointView.of(proven.checkpoint()));
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found"})
    @Operation(operationId = "getServiceAccountTimeline",
            summary = "What was done to a service account and what it did "
            + "(with tokens, assignments and refusals), in order")
    @GetMapping("/v1/workspaces/{ws}/service-accounts/{id}/timeline")
    Timeline serviceAccountTimeline(@PathVariable String ws, @PathVariable String id,
                                    @Parameter(schema = @Schema(pattern = "^[0-9]{1,18}$", maxLength = 18))
                                    @RequestParam(required = false) String after,
                                    @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1",
                                            maximum = "500"))
                                    @RequestParam(required = false) String limit,
                                    AuthenticatedPrincipal principal) {
        Guard.requireWorkspaceAdmin(principal, ws);
        if (!readModel.knowsAccount(ws, "service_account", id)) {
            throw DomainRuleException.notFound("service-account-not-found",
                    "Service account '" + id + "' was not found.");
        }
        return timeline(ws, "service_account", id, after, limit);
    }

    @Refusals({"403 workspace-admin-required", "404 member-not-found"})
    @Operation(operationId = "getMemberTimeline",
            summary = "What was done to a user (member) and what the user did, in order")
    @GetMapping("/v1/workspaces/{ws}/members/{username}/timeline")
    Timeline memberTimeline(@PathVariable String ws, @PathVariable String username,
                            @Parameter(schema = @Schema(pattern = "^[0-9]{1,18}$", maxLength = 18))
                            @RequestParam(required = false) String after,
                            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1",
                                            maximum = "500"))
                            @RequestParam(required = false) String limit,
                            AuthenticatedPrincipal principal) {
        Guard.requireWorkspaceAdmin(principal, ws);
        if (!readModel.knowsAccount(ws, "user", username)) {
            throw DomainRuleException.notFound("member-not-found", "Member '" + username + "' was not found.");
        }
        return timeline(ws, "user", username, after, limit);
    }

    /** The account's entries, matched on its type and id: a user never shares another principal's timeline. */
    private Timeline timeline(String ws, String accountType, String account, String after, String limit) {
        int pageSize = pageSize(limit);
        List<AuditEntryView> items = readModel.find(AuditQuery.timeline(ws, accountType, account, cursor(after)),
                readModel.completeUpTo(), pageSize);
        return new Timeline(account, items.stream()
                .map(e -> new TimelineEntry(relation(e, accountType, account), e)).toList(),
                nextCursor(items, pageSize));
    }

    private static String relation(AuditEntryView entry, String accountType, String account) {
        boolean target = entry.account() != null && accountType.equals(entry.account().type())
                && account.equals(entry.account().id());
        boolean actor = entry.actor() != null && accountType.equals(entry.actor().type())
                && account.equals(entry.actor().id());
        return target && actor ? "target-and-actor" : actor ? "actor" : "target";
    }

    private static int pageSize(String limit) {
        Long pageSize = Parameters.wholeNumber("limit", limit, 1, MAX_LIMIT);
        return pageSize == null ? DEFAULT_LIMIT : pageSize.intValue();
    }

    private static String nextCursor(List<AuditEntryView> items, int pageSize) {
        return items.size() == pageSize ? String.valueOf(items.get(items.size() - 1).position()) : null;
    }

    static Long cursor(String after) {
        if (after != null && !after.matches("[0-9]{1,18}")) {
            throw DomainRuleException.invalid("invalid-parameter",
                    "Parameter 'after' must be a cursor returned as 'next'.");
        }
        return after == null ? null : Long.valueOf(after);
    }
}
