package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.infra.web.Parameters;
import dev.svcaccounts.refusals.DomainRuleException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where proofs of audit entries start: the checkpoint a request names ({@code checkpoint=<treeSize>}, the latest
 * when absent) and the position its tree ends at.
 */
@Component
public class InclusionProofs {

    public static final String NO_CHECKPOINT = "no-checkpoint-yet";
    public static final String CHECKPOINT_NOT_FOUND = "checkpoint-not-found";
    public static final String SIGNING_NOT_CONFIGURED = "audit-signing-not-configured";

    private final JdbcTemplate jdbc;
    private final MerkleLogStore store;
    private final SigningKey signingKey;

    InclusionProofs(JdbcTemplate jdbc, MerkleLogStore store, SigningKey signingKey) {
        this.jdbc = jdbc;
        this.store = store;
        this.signingKey = signingKey;
    }

    /**
     * Proofs against the checkpoint of this tree size, or the latest when null.
     *
     * @throws DomainRuleException 400 {@code invalid-parameter} when the size is not a number, 404
     *         {@value #CHECKPOINT_NOT_FOUND} when no checkpoint has it; when none was ever signed, 409
     *         {@value #NO_CHECKPOINT} (the first is on its way) or 404 {@value #SIGNING_NOT_CONFIGURED} (no key: none
     *         will come); checkpoints signed before the key was taken away still serve
     */
    public ProofSession against(String treeSize) {
        Long size = Parameters.wholeNumber("checkpoint", treeSize, 1, Long.MAX_VALUE);
        Checkpoint checkpoint = size == null
                ? store.latestCheckpoint().orElseThrow(this::noCheckpoint)
                : store.checkpoint(size).orElseThrow(() -> checkpointNotFound(size));
        long cut = checkpoint.treeSize() == 0 ? 0 : store.leafAt(checkpoint.treeSize() - 1).orElseThrow(
                () -> new IllegalStateException("the Merkle log is shorter than its checkpoint")).position();
        return new ProofSession(jdbc, checkpoint, cut);
    }

    private DomainRuleException noCheckpoint() {
        if (!signingKey.configured()) {
            return DomainRuleException.notFound(SIGNING_NOT_CONFIGURED, "No checkpoint of the audit log was ever "
                    + "signed and no signing key is configured (AUDIT_SIGNING_KEY_FILE), so nothing can be proven.");
        }
        return DomainRuleException.conflict(NO_CHECKPOINT, "No checkpoint of the audit log has been signed yet: the "
                + "first comes within the checkpoint interval (AUDIT_CHECKPOINT_INTERVAL); try again then.");
    }

    static DomainRuleException checkpointNotFound(long size) {
        return DomainRuleException.notFound(CHECKPOINT_NOT_FOUND, "No checkpoint has tree size " + size + ".");
    }
}
