package dev.svcaccounts.query.project;

import dev.svcaccounts.query.PrincipalView;

import java.time.Instant;

/**
 * A service account assigned to a project: {@code role} is the one it was assigned, {@code effectiveRole} what it
 * may do with it now (null while the account is deactivated).
 */
record ProjectServiceAccountView(String id, String name, String status, String role, String effectiveRole,
                                 Instant assignedAt, PrincipalView assignedBy) {
}
