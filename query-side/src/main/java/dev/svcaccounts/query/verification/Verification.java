package dev.svcaccounts.query.verification;

import java.time.Instant;

/**
 * A whole-store verification as {@code GET /v1/admin/audit/verifications/{id}} shows it.
 *
 * @param status             {@code running}, {@code passed}, {@code failed} (see {@code firstFailure}), {@code error}
 *                           (the database failed; see {@code message}) or {@code abandoned} (the node running it
 *                           stopped; see {@code message})
 * @param checkpointsChecked signed checkpoints whose root (and signature, when a key is configured) were checked
 * @param firstFailure       the first failure in log order when {@code failed}, else null
 * @param message            why an {@code error} or {@code abandoned} verification did not finish, else null
 */
record Verification(String verificationId, String status, Instant requestedAt, String requestedBy, Instant finishedAt,
                    Progress progress, long checkpointsChecked, Failure firstFailure, String message) {

    static final String RUNNING = "running";
    static final String PASSED = "passed";
    static final String FAILED = "failed";
    static final String ERROR = "error";
    static final String ABANDONED = "abandoned";

    /**
     * @param checkedEvents events of the store checked against the log so far
     * @param totalEvents   the log's size when the verification started: the events it checks
     */
    record Progress(long checkedEvents, long totalEvents) {
    }
}
