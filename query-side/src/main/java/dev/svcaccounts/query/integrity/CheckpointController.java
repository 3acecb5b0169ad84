package dev.svcaccounts.query.integrity;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.infra.web.Parameters;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Optional;

/**
 * The log's signed checkpoints for anyone who holds a working token: the latest (what a cron job copies off-box
 * every minute), one by its tree size, and all of them in order with a cursor. A checkpoint shows only the log's
 * size and root hash, nothing of any workspace, so every principal may read them.
 */
@RestController
class CheckpointController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    /** Checkpoints in tree-size order; {@code next}: the {@code after} of the next page, null on the last. */
    record CheckpointPage(@ArraySchema(maxItems = MAX_LIMIT) List<CheckpointView> items,
                          @Schema(pattern = "^[0-9]{1,18}$", maxLength = 18) String next) {
    }

    private final MerkleLogStore store;
    private final SigningKey key;

    CheckpointController(MerkleLogStore store, SigningKey key) {
        this.store = store;
        this.key = key;
    }

    @Refusals({"404 audit-signing-not-configured", "404 checkpoint-not-found"})
    @Operation(operationId = "getLatestCheckpoint",
            summary = "The latest signed checkpoint of the audit log (tree size, root hash, time, key id, "
            + "Ed25519 signature); any authenticated principal")
    @GetMapping("/v1/audit/checkpoints/latest")
    CheckpointView latest(AuthenticatedPrincipal principal) {
        requireSigning();
        return store.latestCheckpoint().map(CheckpointView::of).orElseThrow(() -> DomainRuleException.notFound(
                "checkpoint-not-found", "No checkpoint has been signed yet: the first comes once the log holds an "
                        + "event (within the checkpoint interval)."));
    }

    @Refusals({"404 audit-signing-not-configured", "404 checkpoint-not-found"})
    @Operation(operationId = "getCheckpoint",
            summary = "The signed checkpoint of one tree size; any authenticated principal")
    @GetMapping("/v1/audit/checkpoints/{treeSize}")
    CheckpointView checkpoint(@Parameter(description = "The checkpoint's tree size", schema = @Schema(
                                      type = "string", pattern = "^[0-9]{1,18}$", maxLength = 18))
                              @PathVariable String treeSize, AuthenticatedPrincipal principal) {
        requireSigning();
        // a tree size that is no number names no checkpoint
        Optional<Checkpoint> checkpoint = treeSize.matches("[0-9]{1,18}")
                ? store.checkpoint(Long.parseLong(treeSize)) : Optional.empty();
        return checkpoint.map(CheckpointView::of)
                .orElseThrow(() -> DomainRuleException.notFound("checkpoint-not-found",
                        "No checkpoint has tree size '" + treeSize + "'. GET /v1/audit/checkpoints lists them."));
    }

    @Refusals({"404 audit-signing-not-configured"})
    @Operation(operationId = "listCheckpoints",
            summary = "Every signed checkpoint in tree-size order, from the one after tree size 'after'; cursor "
            + "'next'; any authenticated principal")
    @GetMapping("/v1/audit/checkpoints")
    CheckpointPage checkpoints(@Parameter(description = "List checkpoints with a larger tree size than this (a "
                                       + "tree size, or the 'next' of the page before)",
                                       schema = @Schema(type = "integer", format = "int64", minimum = "0"))
                               @RequestParam(required = false) String after,
                               @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1",
                                       maximum = "500", defaultValue = "100"))
                               @RequestParam(required = false) String limit,
                               AuthenticatedPrincipal principal) {
        Long from = Parameters.wholeNumber("after", after, 0, Long.MAX_VALUE);
        Long size = Parameters.wholeNumber("limit", limit, 1, MAX_LIMIT);
        requireSigning();
        int pageSize = size == null ? DEFAULT_LIMIT : size.intValue();
        List<CheckpointView> items = store.checkpointsAfter(from == null ? -1 : from, pageSize).stream()
                .map(CheckpointView::of).toList();
        String next = items.size() == pageSize ? String.valueOf(items.get(items.size() - 1).treeSize()) : null;
        return new CheckpointPage(items, next);
    }

    private void requireSigning() {
        if (!key.configured()) {
            throw SigningNotConfigured.problem();
        }
    }
}
