package dev.svcaccounts.query.project;

import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.query.GrantView;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.project.ProjectAccessListing.Candidate;
import dev.svcaccounts.query.project.ProjectAccessListing.Entry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectAccessListingTest {

    private static final Candidate ADMIN = user("alice", WorkspaceRole.ADMIN, null);
    private static final Candidate MEMBER = user("bob", WorkspaceRole.MEMBER, null);
    private static final Candidate VIEWER_MEMBER = user("carol", WorkspaceRole.MEMBER, ProjectRole.VIEWER);
    private static final Candidate CI = serviceAccount("sa-1", "ci", "active", ProjectRole.CONTRIBUTOR);
    private static final Candidate PAUSED = serviceAccount("sa-2", "batch", "deactivated", ProjectRole.OWNER);

    @Test
    void privateProject_listsEveryUser_butOnlyAdminsAndAssignedOnesHaveARole() {
        List<Entry> items =
                ProjectAccessListing.of("ml", ProjectVisibility.PRIVATE, List.of(ADMIN, MEMBER, VIEWER_MEMBER)).items();
        assertThat(entry(items, "alice").role()).isEqualTo("owner");
        assertThat(entry(items, "alice").grants()).containsExactly(new GrantView("workspace-admin", "owner"));
        assertThat(entry(items, "bob").role()).isNull();
        assertThat(entry(items, "bob").grants()).isEmpty();
        assertThat(entry(items, "bob").status()).isEqualTo("active");
        assertThat(entry(items, "carol").role()).isEqualTo("viewer");
        assertThat(entry(items, "carol").grants()).containsExactly(new GrantView("explicit", "viewer"));
    }

    @Test
    void workspaceVisibility_makesUsersContributors_andKeepsTheExplicitGrantToo() {
        List<Entry> items =
                ProjectAccessListing.of("ml", ProjectVisibility.WORKSPACE, List.of(MEMBER, VIEWER_MEMBER)).items();
        assertThat(entry(items, "bob").role()).isEqualTo("contributor");
        assertThat(entry(items, "bob").grants()).containsExactly(new GrantView("visibility", "contributor"));
        assertThat(entry(items, "carol").role()).isEqualTo("contributor");
        assertThat(entry(items, "carol").grants()).containsExactly(
                new GrantView("explicit", "viewer"), new GrantView("visibility", "contributor"));
    }

    @Test
    void serviceAccounts_getNothingFromVisibility_onlyTheirAssignment() {
        List<Entry> items = ProjectAccessListing.of("ml", ProjectVisibility.PUBLIC, List.of(CI)).items();
        assertThat(entry(items, "sa-1").role()).isEqualTo("contributor");
        assertThat(entry(items, "sa-1").grants()).containsExactly(new GrantView("explicit", "contributor"));
        assertThat(entry(items, "sa-1").principal())
                .isEqualTo(new ProjectAccessListing.Principal("service_account", "sa-1", "ci"));
    }

    @Test
    void deactivatedServiceAccount_isListed_withoutARole() {
        Entry paused =
                entry(ProjectAccessListing.of("ml", ProjectVisibility.WORKSPACE, List.of(PAUSED)).items(), "sa-2");
        assertThat(paused.role()).isNull();
        assertThat(paused.grants()).isEmpty();
        assertThat(paused.status()).isEqualTo("deactivated");
    }

    @Test
    void userTheMembersReadModelDoesNotKnowYet_stillShowsItsAssignment() {
        Candidate fresh = user("dave", null, ProjectRole.OWNER);
        Entry dave = entry(ProjectAccessListing.of("ml", ProjectVisibility.PRIVATE, List.of(fresh)).items(), "dave");
        assertThat(dave.role()).isEqualTo("owner");
        assertThat(dave.grants()).containsExactly(new GrantView("explicit", "owner"));
    }

    @Test
    void explicitGrant_saysWhoGaveTheRoleAndWhen_theOtherGrantsDoNot() {
        PrincipalView bob = new PrincipalView("user", "bob");
        Instant assignedAt = Instant.parse("2026-03-03T12:00:00Z");
        Candidate carol = new Candidate(PrincipalType.USER, "carol", "carol", WorkspaceRole.MEMBER, "active",
                ProjectRole.OWNER, assignedAt, bob);
        Entry entry =
                entry(ProjectAccessListing.of("ml", ProjectVisibility.WORKSPACE, List.of(carol)).items(), "carol");
        assertThat(entry.grants()).containsExactly(new GrantView("explicit", "owner", bob, assignedAt),
                new GrantView("visibility", "contributor"));
    }

    @Test
    void usersComeFirst_thenServiceAccounts_eachByNameIgnoringCase() {
        Candidate zed = serviceAccount("sa-3", "Zed", "active", ProjectRole.VIEWER);
        ProjectAccessListing.Listing listing = ProjectAccessListing.of("ml", ProjectVisibility.PRIVATE,
                List.of(zed, CI, VIEWER_MEMBER, PAUSED, ADMIN, MEMBER));
        assertThat(listing.project()).isEqualTo("ml");
        assertThat(listing.visibility()).isEqualTo("private");
        assertThat(listing.items()).extracting(e -> e.principal().id())
                .containsExactly("alice", "bob", "carol", "sa-2", "sa-1", "sa-3");
    }

    private static Entry entry(List<Entry> items, String id) {
        return items.stream().filter(e -> e.principal().id().equals(id)).findFirst().orElseThrow();
    }

    private static Candidate user(String username, WorkspaceRole role, ProjectRole explicit) {
        return new Candidate(PrincipalType.USER, username, username, role, "active", explicit, null, null);
    }

    private static Candidate serviceAccount(String id, String name, String status, ProjectRole explicit) {
        return new Candidate(PrincipalType.SERVICE_ACCOUNT, id, name, null, status, explicit, null, null);
    }
}
