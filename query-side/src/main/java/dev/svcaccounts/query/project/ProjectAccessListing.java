package dev.svcaccounts.query.project;

import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.query.GrantView;
import dev.svcaccounts.query.PrincipalView;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Who has which access to a project, and why: every user of the workspace (with or without access) and every
 * assigned service account, each resolved by {@link ProjectAccess}, the one place the rules are written.
 */
public final class ProjectAccessListing {

    /**
     * A principal that may have access, as the read models know it.
     *
     * @param workspaceRole a user's workspace role; null for service accounts, or for a user the members read
     *                      model does not (yet or any more) know
     * @param status        {@code active}, or a service account's {@code deactivated} / {@code deleted}
     * @param explicitRole  the role it was assigned in the project, or null
     * @param assignedAt    when it was given that role (null without one)
     * @param assignedBy    who gave it that role (null without one)
     */
    public record Candidate(PrincipalType type, String id, String name, WorkspaceRole workspaceRole, String status,
                            ProjectRole explicitRole, Instant assignedAt, PrincipalView assignedBy) {
    }

    public record Listing(String project, String visibility, List<Entry> items) {
    }

    /** {@code role} is the effective role, null when the principal has no access; grants say where it comes from. */
    public record Entry(Principal principal, String role, List<GrantView> grants, String status) {
    }

    public record Principal(String type, String id, String name) {
    }

    public static final String ACTIVE = "active";

    /** Users first, then service accounts; each by name, ignoring case. */
    private static final Comparator<Candidate> ORDER = Comparator
            .comparing((Candidate c) -> c.type() == PrincipalType.USER ? 0 : 1)
            .thenComparing(c -> c.name() == null ? "" : c.name(), String.CASE_INSENSITIVE_ORDER)
            .thenComparing(Candidate::id);

    private ProjectAccessListing() {
    }

    public static Listing of(String projectKey, ProjectVisibility visibility, List<Candidate> candidates) {
        List<Entry> items = candidates.stream().sorted(ORDER).map(c -> entry(visibility, c)).toList();
        return new Listing(projectKey, visibility.wireName(), items);
    }

    private static Entry entry(ProjectVisibility visibility, Candidate c) {
        Optional<ProjectAccess> access = ProjectAccess.resolve(c.type(), c.workspaceRole(), ACTIVE.equals(c.status()),
                visibility, c.explicitRole());
        return new Entry(new Principal(c.type().name().toLowerCase(), c.id(), c.name()),
                access.map(a -> a.role().wireName()).orElse(null),
                access.map(a -> GrantView.of(a, c.assignedBy(), c.assignedAt())).orElse(List.of()),
                c.status());
    }
}
