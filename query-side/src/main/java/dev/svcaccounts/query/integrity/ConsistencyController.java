package dev.svcaccounts.query.integrity;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.web.Parameters;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Base64;
import java.util.List;

/**
 * RFC 9162 consistency proofs between two checkpoints: that the later log is the earlier one with entries appended,
 * nothing changed or removed. Hashes only, so any authenticated principal may ask.
 */
@RestController
class ConsistencyController {

    record ConsistencyProof(long fromTreeSize, long toTreeSize, List<String> proof) {
    }

    private final MerkleLogStore store;

    ConsistencyController(MerkleLogStore store) {
        this.store = store;
    }

    @Refusals({"404 " + InclusionProofs.CHECKPOINT_NOT_FOUND})
    @Operation(operationId = "getAuditConsistencyProof",
            summary = "A consistency proof (RFC 9162) from the checkpoint of tree size 'from' to the one of 'to': "
            + "Base64 hashes; both sizes must be checkpoints'")
    @GetMapping("/v1/audit/consistency")
    ConsistencyProof consistency(
            @Parameter(required = true, schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @RequestParam(required = false) String from,
            @Parameter(required = true, schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @RequestParam(required = false) String to,
            AuthenticatedPrincipal principal) {
        long first = required("from", from);
        long second = required("to", to);
        if (first > second) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter 'from' must not be above 'to'.");
        }
        for (long size : new long[] {first, second}) {
            if (store.checkpoint(size).isEmpty()) {
                throw InclusionProofs.checkpointNotFound(size);
            }
        }
        Base64.Encoder base64 = Base64.getEncoder();
        return new ConsistencyProof(first, second,
                store.tree().consistencyProof(first, second).stream().map(base64::encodeToString).toList());
    }

    private static long required(String name, String value) {
        Long number = Parameters.wholeNumber(name, value, 1, Long.MAX_VALUE);
        if (number == null) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter '" + name + "' is required: the tree "
                    + "size of a checkpoint.");
        }
        return number;
    }
}
