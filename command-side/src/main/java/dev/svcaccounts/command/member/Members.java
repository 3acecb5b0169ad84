package dev.svcaccounts.command.member;

import dev.svcaccounts.events.WorkspaceRole;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The Workspace aggregate's current users and their workspace roles. */
public class Members {

    private final Map<String, WorkspaceRole> roles = new HashMap<>();

    public Optional<WorkspaceRole> roleOf(String username) {
        return Optional.ofNullable(roles.get(username));
    }

    public int count() {
        return roles.size();
    }

    public boolean isAdmin(String username) {
        return roles.get(username) == WorkspaceRole.ADMIN;
    }

    /** True when this user is the workspace's only admin, so it may be neither demoted nor removed. */
    public boolean isLastAdmin(String username) {
        return isAdmin(username) && roles.values().stream().filter(r -> r == WorkspaceRole.ADMIN).count() == 1;
    }

    public void added(String username, WorkspaceRole role) {
        roles.put(username, role);
    }

    public void roleChanged(String username, WorkspaceRole role) {
        roles.replace(username, role);
    }

    public void removed(String username) {
        roles.remove(username);
    }
}
