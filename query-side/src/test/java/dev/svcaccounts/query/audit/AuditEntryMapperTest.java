package dev.svcaccounts.query.audit;

import dev.svcaccounts.events.AccessRefusalsNotRecordedEvent;
import dev.svcaccounts.events.AccessRefusedEvent;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenExchange;
import dev.svcaccounts.events.TokenExchangeRefusedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.events.TokenPolicySetEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.events.WorkspaceRole;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditEntryMapperTest {

    @Test
    void rename_showsBeforeAndAfter_ofWhatChangedOnly() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(
                new ServiceAccountUpdatedEvent("acme", "sa-1", "ci-main", "CI", "ci-pipeline", "CI"));
        assertThat(described.type()).isEqualTo("service_account.updated");
        assertThat(described.subjectId()).isEqualTo("sa-1");
        assertThat(described.details()).containsOnlyKeys("name");
        assertThat(described.details().get("name")).isEqualTo(Map.of("before", "ci-pipeline", "after", "ci-main"));
    }

    @Test
    void tokenRevocation_namesTheTokenItsOwnerAndWhy() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(new TokenRevokedEvent(
                "acme", "tok-1", PrincipalRef.serviceAccount("sa-1"), TokenRevocationCause.ACCOUNT_DEACTIVATED));
        assertThat(described.subjectType()).isEqualTo("token");
        assertThat(described.details()).containsEntry("cause", "account_deactivated")
                .containsEntry("owner", Map.of("type", "service_account", "id", "sa-1"));
    }

    @Test
    void aTokenIssuedByARotation_namesTheTokenItReplaces_andOthersDoNot() {
        PrincipalRef owner = PrincipalRef.serviceAccount("sa-1");
        AuditEntryMapper.Described rotated = AuditEntryMapper.describe(new TokenIssuedEvent("acme", "tok-2", owner,
                "hash", "svcacct_...abcd", "nightly", null, null, "tok-1"));
        assertThat(rotated.details()).containsEntry("rotatedFrom", "tok-1");
        AuditEntryMapper.Described issued = AuditEntryMapper.describe(new TokenIssuedEvent("acme", "tok-3", owner,
                "hash", "svcacct_...efgh", null, null));
        assertThat(issued.details()).doesNotContainKey("rotatedFrom");
    }

    @Test
    void newAssignment_isAboutTheAssignee_withTheProjectAndARoleWithoutBefore() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(new ProjectRoleAssignedEvent(
                "acme", "ml", PrincipalRef.serviceAccount("sa-1"), ProjectRole.CONTRIBUTOR, null));
        assertThat(described.type()).isEqualTo("project.role_assigned");
        assertThat(described.subjectType()).isEqualTo("service_account");
        assertThat(described.subjectId()).isEqualTo("sa-1");
        assertThat(described.details()).containsEntry("project", "ml")
                .containsEntry("role", change(null, "contributor"));
    }

    @Test
    void roleChange_showsBeforeAndAfter() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(new ProjectRoleAssignedEvent(
                "acme", "ml", PrincipalRef.user("bob"), ProjectRole.OWNER, ProjectRole.VIEWER));
        assertThat(described.subjectType()).isEqualTo("user");
        assertThat(described.details()).containsEntry("role", change("viewer", "owner"));
    }

    @Test
    void assignmentRemoval_hasTheRoleItEnded_andWhy() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(new ProjectRoleRemovedEvent(
                "acme", "ml", PrincipalRef.user("bob"), ProjectRole.VIEWER, ProjectRoleRemovalCause.MEMBER_REMOVED));
        assertThat(described.type()).isEqualTo("project.role_removed");
        assertThat(described.subjectId()).isEqualTo("bob");
        assertThat(described.details()).containsEntry("project", "ml")
                .containsEntry("role", change("viewer", null))
                .containsEntry("cause", "member_removed");
    }

    @Test
    void assignmentEndedByTheProjectsDeletion_saysSo() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(new ProjectRoleRemovedEvent(
                "acme", "ml", PrincipalRef.serviceAccount("sa-1"), ProjectRole.OWNER,
                ProjectRoleRemovalCause.PROJECT_DELETED));
        assertThat(described.type()).isEqualTo("project.role_removed");
        assertThat(described.account()).isEqualTo(PrincipalRef.serviceAccount("sa-1"));
        assertThat(described.details()).containsEntry("project", "ml")
                .containsEntry("role", change("owner", null))
                .containsEntry("cause", "project_deleted");
    }

    @Test
    void projectEvents_areAboutTheProject_andNameItForTheProjectFilter() {
        AuditEntryMapper.Described created = AuditEntryMapper.describe(new ProjectCreatedEvent(
                "acme", "ml", "Machine learning", ProjectVisibility.WORKSPACE, PrincipalRef.user("alice")));
        assertThat(created.subjectType()).isEqualTo("project");
        assertThat(created.subjectId()).isEqualTo("ml");
        assertThat(created.details()).containsEntry("project", "ml").containsEntry("name", "Machine learning")
                .containsEntry("visibility", "workspace");

        AuditEntryMapper.Described renamed =
                AuditEntryMapper.describe(new ProjectRenamedEvent("acme", "ml", "ML", "Machine learning"));
        assertThat(renamed.type()).isEqualTo("project.renamed");
        assertThat(renamed.details()).containsEntry("project", "ml")
                .containsEntry("name", change("Machine learning", "ML"));

        AuditEntryMapper.Described visibility = AuditEntryMapper.describe(new ProjectVisibilityChangedEvent(
                "acme", "ml", ProjectVisibility.PRIVATE, ProjectVisibility.WORKSPACE));
        assertThat(visibility.type()).isEqualTo("project.visibility_changed");
        assertThat(visibility.details()).containsEntry("visibility", change("workspace", "private"));
    }

    @Test
    void memberEvents_areAboutTheUser() {
        AuditEntryMapper.Described changed = AuditEntryMapper.describe(new MemberRoleChangedEvent(
                "acme", "bob", WorkspaceRole.ADMIN, WorkspaceRole.MEMBER));
        assertThat(changed.type()).isEqualTo("member.role_changed");
        assertThat(changed.subjectType()).isEqualTo("user");
        assertThat(changed.subjectId()).isEqualTo("bob");
        assertThat(changed.details()).containsEntry("role", change("member", "admin"));

        AuditEntryMapper.Described removed =
                AuditEntryMapper.describe(new MemberRemovedEvent("acme", "bob", WorkspaceRole.MEMBER));
        assertThat(removed.type()).isEqualTo("member.removed");
        assertThat(removed.details()).containsEntry("role", "member");
    }

    @Test
    void aRefusal_namesTheRuleAndWhatWasTried_andConcernsTheAccountItAimedAt() {
        AuditEntryMapper.Described refused = AuditEntryMapper.describe(new AccessRefusedEvent("acme",
                "not-workspace-admin", 403, "DELETE", "/v1/workspaces/acme/service-accounts/sa-1", "service_account",
                "sa-1", "Only workspace admins can do this."));
        assertThat(refused.type()).isEqualTo("access.refused");
        assertThat(refused.subjectType()).isEqualTo("service_account");
        assertThat(refused.subjectId()).isEqualTo("sa-1");
        assertThat(refused.account()).isEqualTo(PrincipalRef.serviceAccount("sa-1"));
        assertThat(refused.details()).containsEntry("rule", "not-workspace-admin").containsEntry("status", 403)
                .containsEntry("method", "DELETE").doesNotContainKey("project");

        AuditEntryMapper.Described onProject = AuditEntryMapper.describe(new AccessRefusedEvent("acme",
                "token-revoked", 401, "PUT", "/v1/workspaces/acme/projects/ml/service-accounts/sa-1", "project", "ml",
                "The token was revoked."));
        assertThat(onProject.details()).containsEntry("project", "ml");
        assertThat(onProject.account()).isNull();

        AuditEntryMapper.Described onAssignment = AuditEntryMapper.describe(new AccessRefusedEvent("acme",
                "not-project-owner", 403, "PUT", "/v1/workspaces/acme/projects/ml/service-accounts/sa-3",
                "service_account", "sa-3", "Only the project's owners can do this."));
        assertThat(onAssignment.details()).containsEntry("project", "ml");
        assertThat(onAssignment.account()).isEqualTo(PrincipalRef.serviceAccount("sa-3"));
    }

    @Test
    void tokenAndAssignmentEntries_concernTheAccountTheyBelongTo() {
        assertThat(AuditEntryMapper.describe(new TokenRevokedEvent("acme", "t-1", PrincipalRef.serviceAccount("sa-1"),
                TokenRevocationCause.values()[0])).account()).isEqualTo(PrincipalRef.serviceAccount("sa-1"));
        assertThat(AuditEntryMapper.describe(new ProjectRoleAssignedEvent("acme", "ml",
                PrincipalRef.serviceAccount("sa-2"), ProjectRole.OWNER, ProjectRole.VIEWER)).account())
                .isEqualTo(PrincipalRef.serviceAccount("sa-2"));
        assertThat(AuditEntryMapper.describe(new ProjectCreatedEvent("acme", "ml", "ML", ProjectVisibility.PRIVATE,
                PrincipalRef.user("alice")))
                .account()).isNull();
    }

    @Test
    void refusalsNotRecorded_areAboutThePrincipalRefused_withHowManyWhenAndByWhichRules() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(new AccessRefusalsNotRecordedEvent("acme",
                PrincipalRef.serviceAccount("sa-1"), "tok-1", 40, 10, Instant.parse("2030-01-01T12:00:00Z"),
                Instant.parse("2030-01-01T12:01:00Z"), Map.of("token-revoked", 40)));
        assertThat(described.type()).isEqualTo("access.refusals_not_recorded").isIn(AuditEntryMapper.TYPES);
        assertThat(described.subjectType()).isEqualTo("service_account");
        assertThat(described.subjectId()).isEqualTo("sa-1");
        assertThat(described.account()).as("in its timeline").isEqualTo(PrincipalRef.serviceAccount("sa-1"));
        assertThat(described.details()).containsEntry("count", 40).containsEntry("recorded", 10)
                .containsEntry("windowStart", "2030-01-01T12:00:00Z").containsEntry("windowEnd", "2030-01-01T12:01:00Z")
                .containsEntry("rules", Map.of("token-revoked", 40));
    }

    @Test
    void policyChange_showsTheWholePolicyBeforeAndAfter_andWhetherItWasEnforced() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(new TokenPolicySetEvent("acme",
                new TokenPolicy(90, true, null, false), TokenPolicy.DEFAULT, true, null));
        assertThat(described.type()).isEqualTo("token_policy.set");
        assertThat(described.subjectType()).isEqualTo("workspace");
        assertThat(described.subjectId()).isEqualTo("acme");
        Map<String, Object> before = new HashMap<>();
        before.put("maxLifetimeDays", null);
        before.put("requireExpiry", false);
        before.put("maxIdleDays", null);
        before.put("allowServiceAccountTokens", true);
        Map<String, Object> after = new HashMap<>();
        after.put("maxLifetimeDays", 90);
        after.put("requireExpiry", true);
        after.put("maxIdleDays", null);
        after.put("allowServiceAccountTokens", false);
        assertThat(described.details()).containsEntry("before", before).containsEntry("after", after)
                .containsEntry("enforce", true);
    }

    private static final FederationRule GITHUB_RULE = new FederationRule("r1",
            "https://token.actions.githubusercontent.com", "https://token.actions.githubusercontent.com/.well-known/jwks",
            null, "https://svcaccounts.example", "repo:acme/train:ref:refs/heads/main",
            Map.of("repository", "acme/train"), 900);

    @Test
    void anExchangedToken_isDescribedAsAnExchange_withTheRuleAndTheExternalIdentity_neverTheJwt() {
        TokenExchange exchange = new TokenExchange("r1", "https://token.actions.githubusercontent.com",
                "repo:acme/train:ref:refs/heads/main", "jti-1", Map.of("repository", "acme/train"),
                Instant.parse("2026-01-01T00:05:00Z"));
        TokenIssuedEvent event = new TokenIssuedEvent("acme", "t1", PrincipalRef.serviceAccount("sa"), "hash",
                "abcd", "exchanged for repo:acme/train:ref:refs/heads/main", Instant.parse("2026-01-01T00:15:00Z"),
                null, null, exchange);

        AuditEntryMapper.Described described = AuditEntryMapper.describe(event);

        assertThat(described.type()).isEqualTo("token.exchanged");
        assertThat(described.subjectId()).isEqualTo("t1");
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) described.details().get("exchange");
        assertThat(details).containsEntry("ruleId", "r1").containsEntry("jti", "jti-1")
                .containsEntry("subject", "repo:acme/train:ref:refs/heads/main")
                .containsEntry("claims", Map.of("repository", "acme/train"));
    }

    @Test
    void aRefusedExchange_namesTheReasonAndWhatTheJwtClaimed_aboutTheAccountItAimedAt() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(new TokenExchangeRefusedEvent("acme", "sa",
                "r1", "invalid_grant", "jti-replayed", "The JWT was already exchanged.", "https://issuer", "sub-1",
                "jti-1"));

        assertThat(described.type()).isEqualTo("token.exchange_refused");
        assertThat(described.subjectType()).isEqualTo("service_account");
        assertThat(described.details()).containsEntry("reason", "jti-replayed").containsEntry("jti", "jti-1")
                .containsEntry("issuer", "https://issuer").containsEntry("error", "invalid_grant");
    }

    @Test
    void everyEventType_hasAnAuditDescription() throws ReflectiveOperationException {
        // a new event type without a description would stop the audit projection: fail here instead
        for (Class<?> type : WorkspaceEvent.class.getPermittedSubclasses()) {
            RecordComponent[] components = type.getRecordComponents();
            Object[] arguments = new Object[components.length];
            Class<?>[] parameterTypes = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                parameterTypes[i] = components[i].getType();
                arguments[i] = sample(parameterTypes[i]);
            }
            WorkspaceEvent event = (WorkspaceEvent) type.getDeclaredConstructor(parameterTypes).newInstance(arguments);
            AuditEntryMapper.Described described = AuditEntryMapper.describe(event);
            assertThat(described.type()).as(type.getSimpleName()).isIn(AuditEntryMapper.TYPES);
            assertThat(described.subjectId()).as(type.getSimpleName()).isNotBlank();
        }
    }

    @Test
    void the_type_filter_documents_every_type_an_entry_can_have() throws Exception {
        String[] documented = AuditFilters.class.getRecordComponents()[4].getAccessor().getDeclaringClass()
                .getDeclaredField("type").getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class)
                .allowableValues();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(AuditEntryMapper.TYPES);
    }

    private static Map<String, Object> change(Object before, Object after) {
        Map<String, Object> change = new HashMap<>();
        change.put("before", before);
        change.put("after", after);
        return change;
    }

    private static Object sample(Class<?> type) {
        if (type == String.class) {
            return "x";
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type == PrincipalRef.class) {
            return PrincipalRef.user("alice");
        }
        if (type == int.class) {
            return 0;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == TokenPolicy.class) {
            return TokenPolicy.DEFAULT;
        }
        if (type == FederationRule.class) {
            return GITHUB_RULE;
        }
        if (type == Instant.class) {
            return Instant.parse("2026-01-01T00:00:00Z");
        }
        return null;
    }
}
