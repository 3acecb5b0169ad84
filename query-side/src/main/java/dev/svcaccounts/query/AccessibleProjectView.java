package dev.svcaccounts.query;

import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.events.ProjectPermission;

import java.util.List;

/** A project a principal has access to right now: its effective role, every grant behind it, what it permits. */
public record AccessibleProjectView(String key, String name, String role, List<GrantView> grants,
                                    List<String> permissions) {

    /** Only the projects with access; the others are left out. */
    public static List<AccessibleProjectView> of(List<ProjectAccessView> projects) {
        return projects.stream()
                .flatMap(p -> p.access().stream().map(access -> new AccessibleProjectView(p.key(), p.name(),
                        access.role().wireName(), GrantView.of(access),
                        access.role().permissions().stream().map(ProjectPermission::wireName).toList())))
                .toList();
    }
}
