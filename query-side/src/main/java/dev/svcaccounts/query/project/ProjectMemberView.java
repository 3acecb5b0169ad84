package dev.svcaccounts.query.project;

import dev.svcaccounts.query.PrincipalView;

import java.time.Instant;

/** A user explicitly assigned to a project, with the role it was assigned. */
record ProjectMemberView(String username, String role, Instant assignedAt, PrincipalView assignedBy) {
}
