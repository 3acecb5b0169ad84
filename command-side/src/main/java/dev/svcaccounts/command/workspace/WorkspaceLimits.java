package dev.svcaccounts.command.workspace;

/**
 * The documented bounds of one workspace, besides its fixed 50 service accounts. They keep every answer that grows
 * with a workspace bounded (introspection and {@code /v1/me} list a principal's projects, {@code .../access} a
 * project's users) and so the memory a cached workspace takes. Checked by the Workspace aggregate when something
 * is added; lowering one leaves what already exists, and only refuses additions beyond it.
 *
 * @param projects                 live projects per workspace (deleted ones do not count)
 * @param members                  current users per workspace, admins included
 * @param assignments              explicit project assignments per workspace, over all its projects
 * @param activeTokensPerPrincipal working (neither revoked nor expired) tokens per user or service account
 */
public record WorkspaceLimits(int projects, int members, int assignments, int activeTokensPerPrincipal) {

    public static final WorkspaceLimits DEFAULTS = new WorkspaceLimits(500, 500, 10_000, 5);

    public WorkspaceLimits {
        require("projects", projects);
        require("members", members);
        require("assignments", assignments);
        require("activeTokensPerPrincipal", activeTokensPerPrincipal);
    }

    private static void require(String name, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the workspace limit " + name + " must be at least 1, not " + limit);
        }
    }
}
