package dev.svcaccounts.query.audit;

import dev.svcaccounts.query.integrity.EntryProof;
import dev.svcaccounts.query.integrity.InclusionProofs;
import dev.svcaccounts.query.integrity.ProofSession;
import dev.svcaccounts.refusals.DomainRuleException;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * {@code proofs=true} on the trail and its export: the checkpoint the proofs lead to ({@code checkpoint=<treeSize>},
 * the latest by default), the position the answer is cut at so that every entry has a proof, and the proofs. A proof
 * holds the entry's own event and hashes, so it shows nothing of another workspace's entries but hashes.
 */
@Component
class AuditProofs {

    private final InclusionProofs inclusionProofs;

    AuditProofs(InclusionProofs inclusionProofs) {
        this.inclusionProofs = inclusionProofs;
    }

    /** The proofs asked for, or null when {@code proofs} is absent or false; checks the parameters. */
    ProofSession requested(String proofs, String checkpoint) {
        if (proofs != null && !proofs.equals("true") && !proofs.equals("false")) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter 'proofs' must be true or false.");
        }
        if (!"true".equals(proofs)) {
            if (checkpoint != null) {
                throw DomainRuleException.invalid("invalid-parameter",
                        "Parameter 'checkpoint' names the checkpoint of proofs: it needs proofs=true.");
            }
            return null;
        }
        return inclusionProofs.against(checkpoint);
    }

    /** The position an answer with these proofs (or none) ends at: no entry beyond the checkpoint's tree. */
    static long cut(long completeUpTo, ProofSession proofs) {
        return proofs == null ? completeUpTo : Math.min(completeUpTo, proofs.cutPosition());
    }

    /** The entries with their proofs; an entry whose event never entered the log has none. */
    static List<AuditEntryView> attach(List<AuditEntryView> entries, ProofSession proofs) {
        if (proofs == null || entries.isEmpty()) {
            return entries;
        }
        Map<Long, EntryProof> byPosition = proofs.prove(entries.stream().map(AuditEntryView::position).toList());
        return entries.stream().map(e -> e.withProof(byPosition.get(e.position()))).toList();
    }
}
