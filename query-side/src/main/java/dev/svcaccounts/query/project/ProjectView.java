package dev.svcaccounts.query.project;

import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.query.PrincipalView;

import java.time.Instant;

/** A project with the caller's effective role in it, null when it has none (the field is always present). */
record ProjectView(String key, String name, String visibility, Instant createdAt, PrincipalView createdBy,
                   String role) {

    /**
     * @param project from the access tables: key, name, visibility and the caller's access, exact
     * @param created the read model's row, for when and by whom it was created; null while it lags behind
     */
    static ProjectView of(ProjectAccessView project, ProjectRow created) {
        return new ProjectView(project.key(), project.name(), project.visibility().wireName(),
                created == null ? null : created.createdAt(), created == null ? null : created.createdBy(),
                project.access().map(access -> access.role().wireName()).orElse(null));
    }
}
