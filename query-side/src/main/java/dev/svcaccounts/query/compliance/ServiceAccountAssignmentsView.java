package dev.svcaccounts.query.compliance;

import java.time.Instant;
import java.util.List;

/** A service account with the project assignments a report is about, by project key. */
record ServiceAccountAssignmentsView(String id, String name, String status, Instant deactivatedAt,
                                     String deactivationReason, List<ProjectRoleView> projects) {

    /** An explicit assignment: the project and the role it gives. */
    record ProjectRoleView(String key, String name, String role) {
    }
}
