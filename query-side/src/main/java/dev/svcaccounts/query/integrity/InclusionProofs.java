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

    private final JdbcTemplate jdbc;
    private final MerkleLogStore store;

    InclusionProofs(JdbcTemplate jdbc, MerkleLogStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    /**
     * Proofs against the checkpoint of this tree size, or the latest when null.
     *
     * @throws DomainRuleException 400 {@code invalid-parameter} when the size is not a number, 404
     *         {@value #CHECKPOINT_NOT_FOUND} when no checkpoint has it, 409 {@value #NO_CHECKPOINT} when none was
     *         ever signed
     */
    public ProofSession against(String treeSize) {
        Long size = Parameters.wholeNumber("checkpoint", treeSize, 1, Long.MAX_VALUE);
        Checkpoint checkpoint = size == null
                ? store.latestCheckpoint().orElseThrow(InclusionProofs::noCheckpointYet)
                : store.checkpoint(size).orElseThrow(() -> checkpointNotFound(size));
        long cut = checkpoint.treeSize() == 0 ? 0 : store.leafAt(checkpoint.treeSize() - 1).orElseThrow(
                () -> new IllegalStateException("the Merkle log is shorter than its checkpoint")).position();
        return new ProofSession(jdbc, checkpoint, cut);
    }

    static DomainRuleException noCheckpointYet() {
        return DomainRuleException.conflict(NO_CHECKPOINT, "No checkpoint of the audit log has been signed yet: the "
                + "first comes within the checkpoint interval once a signing key is configured "
                + "(AUDIT_SIGNING_KEY_FILE).");
    }

    static DomainRuleException checkpointNotFound(long size) {
        return DomainRuleException.notFound(CHECKPOINT_NOT_FOUND, "No checkpoint has tree size " + size + ".");
    }
}
