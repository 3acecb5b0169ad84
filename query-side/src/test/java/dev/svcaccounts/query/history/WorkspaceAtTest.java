package dev.svcaccounts.query.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.FederationRuleAddedEvent;
import dev.svcaccounts.events.FederationRuleRemovedEvent;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.TokenExchange;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.events.TokenPolicySetEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.query.AccessibleProjectView;
import dev.svcaccounts.query.GrantView;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.TokenExchangeView;
import dev.svcaccounts.query.TokenView;
import dev.svcaccounts.query.federation.FederationRuleView;
import dev.svcaccounts.query.policy.TokenPolicyView;
import dev.svcaccounts.query.project.ProjectAccessListing.Entry;
import dev.svcaccounts.query.project.ProjectAccessListing.Listing;
import dev.svcaccounts.query.serviceaccount.ServiceAccountView;
import dev.svcaccounts.query.serviceaccount.ServiceAccountView.ProjectRoleView;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The fold behind the point-in-time reads, on hand-made event messages: each stamped with its own time and with
 * the acting principal in its metadata, as the command side stores them.
 */
class WorkspaceAtTest {

    private static final String WS = "acme";
    private static final String SA = "3f1c2a9e-0000-4000-8000-000000000001";
    private static final PrincipalView ALICE = new PrincipalView("user", "alice");
    private static final PrincipalView BOB = new PrincipalView("user", "bob");

    private final List<EventMessage<?>> events = new ArrayList<>();

    @Test
    void beforeTheWorkspaceWasCreated_nothingExisted() {
        workspaceWithAdmins("10:00");

        assertThat(at("09:59:59").existed()).isFalse();
        assertThat(at("10:00").existed()).isTrue();
    }

    @Test
    void stopsAtTheFirstEventStampedAfterT_evenIfALaterOneIsStampedEarlier() {
        workspaceWithAdmins("10:00");
        event("10:02", "alice",
                new ProjectCreatedEvent(WS, "ml", "ML", ProjectVisibility.PRIVATE, PrincipalRef.user("alice")));
        // a second command node whose clock runs a little behind
        event("10:01", "alice",
                new ProjectCreatedEvent(WS, "cv", "CV", ProjectVisibility.PRIVATE, PrincipalRef.user("alice")));

        WorkspaceAt state = at("10:01:30");

        assertThat(state.projectAccess("ml")).isEmpty();
        assertThat(state.projectAccess("cv")).isEmpty();
        assertThat(at("10:02").projectAccess("cv")).isPresent();
    }

    @Test
    void roleChangedByAnotherAdmin_theExplicitGrantNamesWhoGaveTheRoleItHadThen() {
        workspaceWithAdmins("10:00");
        project("10:00", "alice", "ml", ProjectVisibility.PRIVATE);
        serviceAccount("10:00", "robot");
        event("10:01", "alice", assign("ml", PrincipalRef.serviceAccount(SA), ProjectRole.VIEWER, null));
        event("10:02", "bob", assign("ml", PrincipalRef.serviceAccount(SA), ProjectRole.OWNER, ProjectRole.VIEWER));

        Entry before = entry(at("10:01:30").projectAccess("ml").orElseThrow(), SA);
        assertThat(before.role()).isEqualTo("viewer");
        assertThat(before.grants()).containsExactly(new GrantView("explicit", "viewer", ALICE, time("10:01")));

        WorkspaceAt after = at("10:02");
        Entry owner = entry(after.projectAccess("ml").orElseThrow(), SA);
        assertThat(owner.role()).isEqualTo("owner");
        assertThat(owner.grants()).containsExactly(new GrantView("explicit", "owner", BOB, time("10:02")));
        assertThat(after.serviceAccount(SA).orElseThrow().projects())
                .containsExactly(new ProjectRoleView("ml", "owner"));

        Entry alice = entry(after.projectAccess("ml").orElseThrow(), "alice");
        assertThat(alice.grants()).as("the creator's own assignment, and the admin role beside it")
                .containsExactly(new GrantView("explicit", "owner", ALICE, time("10:00")),
                        new GrantView("workspace-admin", "owner"));
    }

    @Test
    void explicitGrantOnTheWire_carriesGrantedByAndGrantedAt_otherGrantsDoNot() {
        workspaceWithAdmins("10:00");
        project("10:00", "alice", "ml", ProjectVisibility.WORKSPACE);
        event("10:01", "alice", new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER));
        event("10:02", "bob", assign("ml", PrincipalRef.user("carol"), ProjectRole.VIEWER, null));

        JsonNode json = json(at("10:03").projectAccess("ml").orElseThrow());

        JsonNode carol = json.path("items").path(2);
        assertThat(carol.path("principal").path("id").asText()).isEqualTo("carol");
        assertThat(carol.path("grants").toString()).isEqualTo("[{\"source\":\"explicit\",\"role\":\"viewer\","
                + "\"grantedBy\":{\"type\":\"user\",\"id\":\"bob\"},\"grantedAt\":\"2026-03-03T10:02:00Z\"},"
                + "{\"source\":\"visibility\",\"role\":\"contributor\"}]");
    }

    @Test
    void deactivatedThenReactivated_keepsItsAssignments_butHasNoAccessInBetween() {
        workspaceWithAdmins("10:00");
        project("10:00", "alice", "ml", ProjectVisibility.PUBLIC);
        serviceAccount("10:00", "robot");
        token("10:00", "tok-1", null);
        event("10:01", "alice", assign("ml", PrincipalRef.serviceAccount(SA), ProjectRole.CONTRIBUTOR, null));
        event("10:02", "alice", new ServiceAccountDeactivatedEvent(WS, SA, "leaked"));
        event("10:02", "alice", new TokenRevokedEvent(WS, "tok-1", PrincipalRef.serviceAccount(SA),
                TokenRevocationCause.ACCOUNT_DEACTIVATED));
        event("10:04", "bob", new ServiceAccountReactivatedEvent(WS, SA));
        token("10:04", "tok-2", null);

        ServiceAccountView paused = at("10:03").serviceAccount(SA).orElseThrow();
        assertThat(paused.status()).isEqualTo("deactivated");
        assertThat(paused.deactivatedAt()).isEqualTo(time("10:02"));
        assertThat(paused.deactivationReason()).isEqualTo("leaked");
        assertThat(paused.projects()).containsExactly(new ProjectRoleView("ml", "contributor"));
        assertThat(paused.access()).isEmpty();
        assertThat(paused.activeTokens()).isZero();
        assertThat(paused.tokens()).extracting(TokenView::status, TokenView::revokedReason)
                .containsExactly(tuple("revoked", "account_deactivated"));
        Entry listed = entry(at("10:03").projectAccess("ml").orElseThrow(), SA);
        assertThat(listed.role()).isNull();
        assertThat(listed.grants()).isEmpty();
        assertThat(listed.status()).isEqualTo("deactivated");

        ServiceAccountView back = at("10:05").serviceAccount(SA).orElseThrow();
        assertThat(back.status()).isEqualTo("active");
        assertThat(back.deactivatedAt()).isNull();
        assertThat(back.deactivationReason()).isNull();
        assertThat(back.updatedAt()).isEqualTo(time("10:04"));
        assertThat(back.access()).extracting(AccessibleProjectView::key, AccessibleProjectView::role)
                .containsExactly(tuple("ml", "contributor"));
        assertThat(back.access().get(0).grants()).as("no grant from visibility for a service account")
                .containsExactly(new GrantView("explicit", "contributor"));
        assertThat(back.tokens()).extracting(TokenView::id, TokenView::status)
                .containsExactly(tuple("tok-1", "revoked"),
                        tuple("tok-2", "active"));
        assertThat(back.activeTokens()).isEqualTo(1);
    }

    @Test
    void tokenExpiry_isJudgedAtT_notNow() {
        workspaceWithAdmins("10:00");
        serviceAccount("10:00", "robot");
        token("10:00", "tok-1", time("10:10"));
        token("10:01", "tok-2", null);
        event("10:20", "alice",
                new TokenRevokedEvent(WS, "tok-2", PrincipalRef.serviceAccount(SA), TokenRevocationCause.REVOKED));

        ServiceAccountView before = at("10:09:59").serviceAccount(SA).orElseThrow();
        assertThat(before.tokens()).extracting(TokenView::status).containsExactly("active", "active");
        assertThat(before.activeTokens()).isEqualTo(2);

        ServiceAccountView expired = at("10:10").serviceAccount(SA).orElseThrow();
        assertThat(expired.tokens()).extracting(TokenView::status).containsExactly("expired", "active");
        assertThat(expired.activeTokens()).isEqualTo(1);

        ServiceAccountView revoked = at("10:20").serviceAccount(SA).orElseThrow();
        assertThat(revoked.tokens()).extracting(TokenView::status).containsExactly("expired", "revoked");
        assertThat(revoked.tokens().get(1).revokedAt()).isEqualTo(time("10:20"));
        assertThat(revoked.tokens().get(1).revokedReason()).isEqualTo("revoked");
        assertThat(revoked.tokens().get(0).createdBy()).isEqualTo("alice");
        assertThat(revoked.activeTokens()).isZero();
    }

    @Test
    void expiryWithNanoseconds_isShownAsTheReadModelStoresIt_toTheMicrosecond() {
        workspaceWithAdmins("10:00");
        serviceAccount("10:00", "robot");
        token("10:00", "tok-1", Instant.parse("2030-01-01T00:00:00.123456789Z"));

        assertThat(at("10:01").serviceAccount(SA).orElseThrow().tokens().get(0).expiresAt())
                .isEqualTo(Instant.parse("2030-01-01T00:00:00.123457Z"));
    }

    @Test
    void projectDeletedAndRecreatedWithTheSameKey_startsWithNothingOfTheOldOne() {
        workspaceWithAdmins("10:00");
        serviceAccount("10:00", "robot");
        project("10:00", "alice", "ml", ProjectVisibility.PRIVATE);
        event("10:01", "alice", assign("ml", PrincipalRef.serviceAccount(SA), ProjectRole.OWNER, null));
        event("10:02", "alice", new ProjectDeletedEvent(WS, "ml", "ML"));
        project("10:04", "bob", "ml", ProjectVisibility.WORKSPACE);

        assertThat(at("10:01").serviceAccount(SA).orElseThrow().access()).extracting(AccessibleProjectView::role)
                .containsExactly("owner");

        WorkspaceAt deleted = at("10:03");
        assertThat(deleted.projectAccess("ml")).isEmpty();
        assertThat(deleted.serviceAccount(SA).orElseThrow().projects()).isEmpty();
        assertThat(deleted.serviceAccount(SA).orElseThrow().access()).isEmpty();

        WorkspaceAt recreated = at("10:05");
        Listing listing = recreated.projectAccess("ml").orElseThrow();
        assertThat(listing.visibility()).isEqualTo("workspace");
        assertThat(listing.items()).extracting(e -> e.principal().id()).containsExactly("alice", "bob");
        assertThat(entry(listing, "bob").grants()).first()
                .isEqualTo(new GrantView("explicit", "owner", BOB, time("10:04")));
        assertThat(entry(listing, "alice").grants()).as("alice created the old one: no explicit grant now")
                .containsExactly(new GrantView("visibility", "contributor"), new GrantView("workspace-admin", "owner"));
        assertThat(recreated.serviceAccount(SA).orElseThrow().access()).isEmpty();
    }

    @Test
    void projectDeletedWithItsAssignmentsEndedFirst_readsAsAnOldStyleDeletion() {
        for (boolean removalsRecorded : new boolean[] {false, true}) {
            events.clear();
            workspaceWithAdmins("10:00");
            serviceAccount("10:00", "robot");
            project("10:00", "alice", "ml", ProjectVisibility.PRIVATE);
            event("10:01", "alice", assign("ml", PrincipalRef.serviceAccount(SA), ProjectRole.OWNER, null));
            if (removalsRecorded) {
                event("10:02", "alice", new ProjectRoleRemovedEvent(WS, "ml", PrincipalRef.user("alice"),
                        ProjectRole.OWNER, ProjectRoleRemovalCause.PROJECT_DELETED));
                event("10:02", "alice", new ProjectRoleRemovedEvent(WS, "ml", PrincipalRef.serviceAccount(SA),
                        ProjectRole.OWNER, ProjectRoleRemovalCause.PROJECT_DELETED));
            }
            event("10:02", "alice", new ProjectDeletedEvent(WS, "ml", "ML"));
            project("10:04", "bob", "ml", ProjectVisibility.PRIVATE);

            assertThat(at("10:03").projectAccess("ml")).as("removals recorded: %s", removalsRecorded).isEmpty();
            assertThat(at("10:03").serviceAccount(SA).orElseThrow().projects()).isEmpty();
            ServiceAccountView later = at("10:05").serviceAccount(SA).orElseThrow();
            assertThat(later.projects()).as("removals recorded: %s", removalsRecorded).isEmpty();
            assertThat(later.access()).isEmpty();
            assertThat(at("10:05").projectAccess("ml").orElseThrow().items())
                    .filteredOn(e -> e.principal().id().equals(SA)).isEmpty();
        }
    }

    @Test
    void memberRemovedAndAddedAgain_comesBackWithoutItsOldProjectRole() {
        workspaceWithAdmins("10:00");
        project("10:00", "alice", "ml", ProjectVisibility.PRIVATE);
        event("10:00", "alice", new UserAddedEvent(WS, "carol", WorkspaceRole.ADMIN));
        event("10:01", "alice", assign("ml", PrincipalRef.user("carol"), ProjectRole.CONTRIBUTOR, null));
        event("10:02", "alice", new ProjectRoleRemovedEvent(WS, "ml", PrincipalRef.user("carol"),
                ProjectRole.CONTRIBUTOR, ProjectRoleRemovalCause.MEMBER_REMOVED));
        event("10:02", "alice", new MemberRemovedEvent(WS, "carol", WorkspaceRole.ADMIN));
        event("10:04", "alice", new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER));

        Entry assigned = entry(at("10:01").projectAccess("ml").orElseThrow(), "carol");
        assertThat(assigned.role()).isEqualTo("owner");
        assertThat(assigned.grants()).containsExactly(new GrantView("explicit", "contributor", ALICE, time("10:01")),
                new GrantView("workspace-admin", "owner"));

        assertThat(at("10:03").projectAccess("ml").orElseThrow().items()).extracting(e -> e.principal().id())
                .containsExactly("alice", "bob");

        Entry back = entry(at("10:05").projectAccess("ml").orElseThrow(), "carol");
        assertThat(back.role()).isNull();
        assertThat(back.grants()).isEmpty();
    }

    @Test
    void visibilityAtT_decidesTheUsersImplicitRole() {
        workspaceWithAdmins("10:00");
        project("10:00", "alice", "ml", ProjectVisibility.PRIVATE);
        event("10:00", "alice", new UserAddedEvent(WS, "carol", WorkspaceRole.MEMBER));
        event("10:02", "alice",
                new ProjectVisibilityChangedEvent(WS, "ml", ProjectVisibility.WORKSPACE, ProjectVisibility.PRIVATE));

        assertThat(entry(at("10:01").projectAccess("ml").orElseThrow(), "carol").role()).isNull();
        assertThat(entry(at("10:02").projectAccess("ml").orElseThrow(), "carol").role()).isEqualTo("contributor");
    }

    @Test
    void deletedAccount_isStillShownAsDeleted_withNeitherAssignmentsNorAccess() {
        workspaceWithAdmins("10:00");
        project("10:00", "alice", "ml", ProjectVisibility.PRIVATE);
        serviceAccount("10:00", "robot");
        event("10:01", "alice", assign("ml", PrincipalRef.serviceAccount(SA), ProjectRole.VIEWER, null));
        event("10:02", "alice", new ProjectRoleRemovedEvent(WS, "ml", PrincipalRef.serviceAccount(SA),
                ProjectRole.VIEWER, ProjectRoleRemovalCause.ACCOUNT_DELETED));
        event("10:02", "alice", new ServiceAccountDeletedEvent(WS, SA, "robot"));

        assertThat(at("09:59").serviceAccount(SA)).isEmpty();
        ServiceAccountView deleted = at("10:03").serviceAccount(SA).orElseThrow();
        assertThat(deleted.status()).isEqualTo("deleted");
        assertThat(deleted.deletedAt()).isEqualTo(time("10:02"));
        assertThat(deleted.createdBy()).isEqualTo(ALICE);
        assertThat(deleted.projects()).isEmpty();
        assertThat(deleted.access()).isEmpty();
        assertThat(at("10:03").projectAccess("ml").orElseThrow().items()).extracting(e -> e.principal().id())
                .containsExactly("alice", "bob");
    }

    @Test
    void federationRules_areThoseInForceAtT_droppedWithTheirAccount() {
        workspaceWithAdmins("10:00");
        serviceAccount("10:00", "robot");
        FederationRule main = rule("r1", "repo:acme/train:ref:refs/heads/main");
        FederationRule tags = rule("r2", "repo:acme/train:ref:refs/tags/*");
        event("10:05", "alice", new FederationRuleAddedEvent(WS, SA, main));
        event("10:06", "bob", new FederationRuleAddedEvent(WS, SA, tags));
        event("10:10", "alice", new FederationRuleRemovedEvent(WS, SA, "r1"));
        event("10:20", "alice", new ServiceAccountDeletedEvent(WS, SA, "robot"));

        assertThat(at("10:04").serviceAccount(SA).orElseThrow().federationRules()).isEmpty();
        assertThat(at("10:07").serviceAccount(SA).orElseThrow().federationRules()).containsExactly(
                FederationRuleView.of(main, time("10:05"), ALICE), FederationRuleView.of(tags, time("10:06"), BOB));
        assertThat(at("10:10").serviceAccount(SA).orElseThrow().federationRules())
                .extracting(FederationRuleView::ruleId).containsExactly("r2");
        assertThat(at("10:20").serviceAccount(SA).orElseThrow().federationRules()).isEmpty();
    }

    @Test
    void anExchangedToken_showsHowItWasObtained() {
        workspaceWithAdmins("10:00");
        serviceAccount("10:00", "robot");
        token("10:01", "long-lived", null);
        TokenExchange exchange = new TokenExchange("r1", "https://issuer.example", "repo:acme/train:ref:x", "jti-1",
                Map.of("repository", "acme/train"), time("10:10"));
        event("10:02", "alice", new TokenIssuedEvent(WS, "exchanged", PrincipalRef.serviceAccount(SA), "hash",
                "svcacct_...efgh", "exchanged for repo:acme/train:ref:x", time("10:15"), null, null, exchange));

        assertThat(at("10:03").serviceAccount(SA).orElseThrow().tokens())
                .extracting(TokenView::id, TokenView::exchange)
                .containsExactly(tuple("long-lived", null), tuple("exchanged",
                        new TokenExchangeView("r1", "https://issuer.example", "repo:acme/train:ref:x", "jti-1")));
    }

    private static FederationRule rule(String id, String subject) {
        return new FederationRule(id, "https://token.actions.githubusercontent.com", null,
                "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"x\",\"y\":\"y\"}]}",
                "https://github.com/acme", subject, Map.of("repository", "acme/train"), 900);
    }

    // ------------------------------------------------------------------ a hand-made history

    /** The workspace, with admins alice (its first) and bob. */
    private void workspaceWithAdmins(String hhmm) {
        event(hhmm, "operator", new WorkspaceCreatedEvent(WS, "Acme"));
        event(hhmm, "operator", new UserAddedEvent(WS, "alice", WorkspaceRole.ADMIN));
        event(hhmm, "alice", new UserAddedEvent(WS, "bob", WorkspaceRole.ADMIN));
    }

    /** Created by {@code creator}, who becomes its owner, as the aggregate does it. */
    private void project(String hhmm, String creator, String key, ProjectVisibility visibility) {
        event(hhmm, creator,
                new ProjectCreatedEvent(WS, key, "Project " + key, visibility, PrincipalRef.user(creator)));
        event(hhmm, creator, assign(key, PrincipalRef.user(creator), ProjectRole.OWNER, null));
    }

    private void serviceAccount(String hhmm, String name) {
        event(hhmm, "alice", new ServiceAccountCreatedEvent(WS, SA, name, null));
    }

    private void token(String hhmm, String tokenId, Instant expiresAt) {
        event(hhmm, "alice", new TokenIssuedEvent(WS, tokenId, PrincipalRef.serviceAccount(SA), "hash-" + tokenId,
                "svcacct_...abcd", null, expiresAt));
    }

    @Test
    void tokenPolicy_isTheOneInForceAtT_andTheDefaultBeforeAnyWasSet() {
        workspaceWithAdmins("10:00");
        TokenPolicy max90 = new TokenPolicy(90, false, null, true);
        TokenPolicy idle30 = new TokenPolicy(90, true, 30, false);
        event("10:05", "alice", new TokenPolicySetEvent(WS, max90, TokenPolicy.DEFAULT, false, null));
        event("10:10", "bob", new TokenPolicySetEvent(WS, idle30, max90, true, null));

        assertThat(at("10:04").tokenPolicy()).isEqualTo(TokenPolicyView.DEFAULT);
        assertThat(at("10:07").tokenPolicy())
                .isEqualTo(new TokenPolicyView(90, false, null, true, false, null, time("10:05"), ALICE));
        assertThat(at("10:10").tokenPolicy())
                .isEqualTo(new TokenPolicyView(90, true, 30, false, true, null, time("10:10"), BOB));
    }

    private static ProjectRoleAssignedEvent assign(String key, PrincipalRef assignee, ProjectRole role,
                                                   ProjectRole previous) {
        return new ProjectRoleAssignedEvent(WS, key, assignee, role, previous);
    }

    /** The next event of the workspace's stream, by a user (or the operator), at {@code hhmm} on 2026-03-03. */
    private void event(String hhmm, String actor, WorkspaceEvent payload) {
        String type = actor.equals("operator") ? "OPERATOR" : "USER";
        events.add(new GenericDomainEventMessage<>("Workspace", WS, events.size(), payload,
                Map.of(AuditMetadata.ACTOR_TYPE, type, AuditMetadata.ACTOR_ID, actor),
                UUID.randomUUID().toString(), time(hhmm)));
    }

    private WorkspaceAt at(String hhmm) {
        return WorkspaceAt.replay(events.iterator(), time(hhmm));
    }

    private static Instant time(String hhmm) {
        return Instant.parse("2026-03-03T" + (hhmm.length() == 5 ? hhmm + ":00" : hhmm) + "Z");
    }

    private static Entry entry(Listing listing, String id) {
        return listing.items().stream().filter(e -> e.principal().id().equals(id)).findFirst().orElseThrow();
    }

    private static JsonNode json(Object value) {
        return new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .valueToTree(value);
    }
}
