package dev.svcaccounts.query;

import dev.svcaccounts.events.ProjectAccess;

import java.util.List;

/** One source of a principal's access to a project, on the wire: explicit, visibility or workspace-admin. */
public record GrantView(String source, String role) {

    public static List<GrantView> of(ProjectAccess access) {
        return access.grants().stream().map(g -> new GrantView(g.source().wireName(), g.role().wireName())).toList();
    }
}
