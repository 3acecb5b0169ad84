package dev.svcaccounts.query.project;

import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.query.PrincipalView;

import java.time.Instant;

/** A project as the "projects" read model has it. */
record ProjectRow(String key, String name, ProjectVisibility visibility, Instant createdAt, PrincipalView createdBy) {
}
