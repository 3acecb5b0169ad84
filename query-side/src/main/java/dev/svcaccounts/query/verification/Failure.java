package dev.svcaccounts.query.verification;

/**
 * The first thing a verification found wrong. {@code leafIndex} and {@code position} name the event (null when the
 * failure is a checkpoint's as a whole); {@code treeSize} is the checkpoint concerned: for an event, the smallest
 * checkpoint that covers it (null when none does yet, so only the log, not a signature, says what it was).
 *
 * @param kind {@code modified}, {@code deleted}, {@code inserted}, {@code reordered}, {@code truncated},
 *             {@code leaf-missing} or {@code bad-signature}
 */
record Failure(String kind, Long leafIndex, Long position, Long treeSize, String detail) {

    static final String MODIFIED = "modified";
    static final String DELETED = "deleted";
    static final String INSERTED = "inserted";
    static final String REORDERED = "reordered";
    static final String TRUNCATED = "truncated";
    static final String LEAF_MISSING = "leaf-missing";
    static final String BAD_SIGNATURE = "bad-signature";
}
