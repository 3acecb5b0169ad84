package dev.svcaccounts.query.integrity;

import dev.svcaccounts.refusals.DomainRuleException;

/** The answer of the checkpoint and public-key endpoints on a query side started without a signing key. */
final class SigningNotConfigured {

    static final String CODE = "audit-signing-not-configured";

    private SigningNotConfigured() {
    }

    static DomainRuleException problem() {
        return DomainRuleException.notFound(CODE, "This query side signs no audit checkpoints: it was started "
                + "without AUDIT_SIGNING_KEY_FILE (docs/operations.md). The log is kept; checkpoints and the "
                + "public key appear once a key is configured.");
    }
}
