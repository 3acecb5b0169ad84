package dev.svcaccounts.query.project;

import dev.svcaccounts.query.PrincipalView;

import java.time.Instant;

/** A project with the caller's effective role in it, null when it has none (the field is always present). */
record ProjectView(String key, String name, String visibility, Instant createdAt, PrincipalView createdBy,
                   String role) {

    static ProjectView of(ProjectRow row, String role) {
        return new ProjectView(row.key(), row.name(), row.visibility().wireName(), row.createdAt(), row.createdBy(), role);
    }
}
