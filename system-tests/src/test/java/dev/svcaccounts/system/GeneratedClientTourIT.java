package dev.svcaccounts.system;

import dev.svcaccounts.client.command.api.MemberControllerApi;
import dev.svcaccounts.client.command.api.ProjectControllerApi;
import dev.svcaccounts.client.command.api.ServiceAccountControllerApi;
import dev.svcaccounts.client.command.api.TokenControllerApi;
import dev.svcaccounts.client.command.api.WorkspaceControllerApi;
import dev.svcaccounts.client.command.model.AddRequest;
import dev.svcaccounts.client.command.model.AdminRequest;
import dev.svcaccounts.client.command.model.AssignmentRoleRequest;
import dev.svcaccounts.client.command.model.CreateProjectRequest;
import dev.svcaccounts.client.command.model.CreateServiceAccountRequest;
import dev.svcaccounts.client.command.model.CreateWorkspaceRequest;
import dev.svcaccounts.client.command.model.DeactivateRequest;
import dev.svcaccounts.client.command.model.IssueRequest;
import dev.svcaccounts.client.command.model.IssuedToken;
import dev.svcaccounts.client.command.model.ServiceAccountWithToken;
import dev.svcaccounts.client.command.model.UpdateServiceAccountRequest;
import dev.svcaccounts.client.command.model.WorkspaceCreated;
import dev.svcaccounts.client.query.api.AuditQueryControllerApi;
import dev.svcaccounts.client.query.api.ComplianceControllerApi;
import dev.svcaccounts.client.query.api.IntrospectionControllerApi;
import dev.svcaccounts.client.query.api.MeControllerApi;
import dev.svcaccounts.client.query.api.ProjectQueryControllerApi;
import dev.svcaccounts.client.query.api.ProjectionsControllerApi;
import dev.svcaccounts.client.query.api.ServiceAccountQueryControllerApi;
import dev.svcaccounts.client.query.model.Entry;
import dev.svcaccounts.client.query.model.Listing;
import dev.svcaccounts.client.query.model.Problem;
import dev.svcaccounts.client.query.model.ProjectionStatus;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClientResponseException;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The README's tour with curl ("A tour with curl"), step by step, through the Java clients openapi-generator makes
 * from the committed contract (module generated-client): what a platform team gets when it generates an SDK. Each
 * step asserts what the tour shows, refusals read as {@link Problem} documents, the export as CSV and ndjson. A
 * step the generated client cannot take is a defect of the contract (docs/openapi/), not of this test.
 */
class GeneratedClientTourIT {

    private static final String WS = "acme";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("generated-client-tour");

    @Test
    void theReadmeTourThroughTheGeneratedClients() {
        String operator = RunningSystem.OPERATOR_TOKEN;

        // 1. the operator creates a workspace with its first admin; the admin's token is shown once
        ResponseEntity<WorkspaceCreated> workspace = new WorkspaceControllerApi(command(operator))
                .createWorkspaceWithHttpInfo(new CreateWorkspaceRequest().id(WS).name("Acme ML")
                        .admin(new AdminRequest().username("alice")), null, null, null);
        assertThat(workspace.getStatusCode().value()).isEqualTo(201);
        String admin = workspace.getBody().getToken().getSecret();
        assertThat(workspace.getBody().getAdmin().getRole()).isEqualTo("admin");

        // 2. the admin creates a service account for CI, with a reason; its first token is shown once
        ResponseEntity<ServiceAccountWithToken> created = new ServiceAccountControllerApi(command(admin))
                .createServiceAccountWithHttpInfo(WS, new CreateServiceAccountRequest().name("ci-pipeline")
                        .description("GitHub Actions"), null, "nightly training pipeline", null);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        UUID sa = UUID.fromString(created.getBody().getId());
        assertThat(created.getHeaders().getLocation()).hasToString("/v1/workspaces/acme/service-accounts/" + sa);
        String saToken = created.getBody().getToken().getSecret();

        // 3. a second token that expires; token metadata (never a secret) on the query side
        ResponseEntity<IssuedToken> second = new TokenControllerApi(command(admin))
                .issueServiceAccountTokenWithHttpInfo(WS, sa, null, null, null, new IssueRequest()
                        .description("evaluation job")
                        .expiresAt(OffsetDateTime.of(2030, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
        assertThat(second.getStatusCode().value()).isEqualTo(201);
        UUID tokenId = UUID.fromString(second.getBody().getId());
        String token2 = second.getBody().getSecret();
        system.awaitProjectionsCaughtUp();
        assertThat(new ServiceAccountQueryControllerApi(query(admin)).listServiceAccountTokens(WS, sa, null)
                .getItems()).hasSize(2);
        assertThat(new ProjectControllerApi(command(token2)).createProjectWithHttpInfo(WS, new CreateProjectRequest()
                .key("eval").name("Evaluation results").visibility(CreateProjectRequest.VisibilityEnum.PRIVATE),
                null, null, null).getStatusCode().value()).isEqualTo(201);

        // 4. owning a project (eval), the account may list the service accounts (a summary); tokens stay admin-only
        assertThat(new ServiceAccountQueryControllerApi(query(saToken)).listServiceAccounts(WS, null, null)
                .getItems()).singleElement().satisfies(account -> {
                    assertThat(account.getName()).isEqualTo("ci-pipeline");
                    assertThat(account.getStatus()).isEqualTo("active");
                    assertThat(account.getActiveTokens()).isNull();
                    assertThat(account.getCreatedBy()).isNull();
                });
        assertProblem(() -> new ServiceAccountQueryControllerApi(query(saToken)).listServiceAccountTokens(WS, sa,
                null), 403, "workspace-admin-required");

        // 5. revoke the second token (204): the very next request with it is refused on both sides
        assertThat(new TokenControllerApi(command(admin)).revokeServiceAccountTokenWithHttpInfo(WS, sa, tokenId,
                null, null, null).getStatusCode().value()).isEqualTo(204);
        assertProblem(() -> new AuditQueryControllerApi(query(token2)).listAuditEntries(WS, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null), 401, "unauthenticated");
        assertProblem(() -> new ServiceAccountControllerApi(command(token2)).createServiceAccount(WS,
                new CreateServiceAccountRequest().name("x"), null, null, null), 401, "unauthenticated");

        // 6. deactivate (every token refused), reactivate: a fresh token
        assertThat(new ServiceAccountControllerApi(command(admin)).deactivateServiceAccount(WS, sa, null, null, null,
                new DeactivateRequest().reason("token leaked in a log")).getStatus()).isEqualTo("deactivated");
        assertProblem(() -> new ServiceAccountQueryControllerApi(query(saToken)).listServiceAccounts(WS, null, null),
                401, "unauthenticated");
        String freshToken = new ServiceAccountControllerApi(command(admin)).reactivateServiceAccount(WS, sa, null,
                null, null, null).getToken().getSecret();

        // 7. rename it, list the accounts, read the audit trail of the account
        assertThat(new ServiceAccountControllerApi(command(admin)).updateServiceAccount(WS, sa,
                new UpdateServiceAccountRequest().name("ci-main"), null, null, null).getName()).isEqualTo("ci-main");
        system.awaitProjectionsCaughtUp();
        assertThat(new ServiceAccountQueryControllerApi(query(admin)).listServiceAccounts(WS, null, null).getItems())
                .extracting(account -> account.getName()).containsExactly("ci-main");
        Eventually.untilAsserted(() -> assertThat(new AuditQueryControllerApi(query(admin)).listAuditEntries(WS,
                null, null, sa.toString(), null, null, null, null, null, null, null, null, null, null, null, null)
                .getItems())
                .anySatisfy(entry -> {
                    assertThat(entry.getType()).isEqualTo("service_account.created");
                    assertThat(entry.getReason()).isEqualTo("nightly training pipeline");
                }));

        // 8. bob, a member, creates a project visible to the whole workspace
        String bob = new MemberControllerApi(command(admin)).addMemberWithHttpInfo(WS, new AddRequest()
                .username("bob").role(AddRequest.RoleEnum.MEMBER), null, null, null).getBody().getToken().getSecret();
        new ProjectControllerApi(command(bob)).createProject(WS, new CreateProjectRequest().key("churn")
                .name("Churn model").visibility(CreateProjectRequest.VisibilityEnum.WORKSPACE), null, null, null);

        // 9. workspace visibility is for users: the account gets 404 until assigned
        assertProblem(() -> new ProjectQueryControllerApi(query(freshToken)).getProject(WS, "churn", null),
                404, "project-not-found");
        assertThat(new dev.svcaccounts.client.command.api.AssignmentControllerApi(command(bob))
                .assignServiceAccountToProject(WS, "churn", sa, new AssignmentRoleRequest()
                        .role(AssignmentRoleRequest.RoleEnum.CONTRIBUTOR), null, null, null).getPreviousRole())
                .isNull();

        // 10. what may this token do, right when the command has returned: /v1/me and introspection
        assertThat(new MeControllerApi(query(freshToken)).getMe(null, null).getProjects())
                .anySatisfy(project -> assertThat(project.getKey() + " " + project.getRole())
                        .isEqualTo("churn contributor"));
        var introspection = new IntrospectionControllerApi(query(operator))
                .introspectToken(freshToken, null, null, null, null, null);
        assertThat(introspection.getActive()).isTrue();
        assertThat(introspection.getProjects()).containsEntry("churn", "contributor");
        // bob is no assignee of eval, a private project: asked about it alone, his answer lists no role there
        var bobOnEval = new IntrospectionControllerApi(query(operator))
                .introspectToken(bob, null, null, null, "project:eval", null);
        assertThat(bobOnEval.getActive()).isTrue();
        assertThat(bobOnEval.getProjects()).isEmpty();

        // 11. service accounts never delete projects
        assertProblem(() -> new ProjectControllerApi(command(freshToken)).deleteProject(WS, "churn", null, null,
                null), 403, "service-accounts-cannot-delete-projects");

        // 12. who has access to the project and why
        system.awaitProjectionsCaughtUp();
        assertThat(roleOf(new ProjectQueryControllerApi(query(bob)).getProjectAccess(WS, "churn", null, null), sa))
                .isEqualTo("contributor");

        // 13. an instant T; bob makes the account owner; who had access at T, and now, and who granted it
        OffsetDateTime instant = OffsetDateTime.now(ZoneOffset.UTC);
        Eventually.untilAsserted(() -> assertThat(OffsetDateTime.now(ZoneOffset.UTC)).isAfter(instant));
        new dev.svcaccounts.client.command.api.AssignmentControllerApi(command(bob)).assignServiceAccountToProject(WS,
                "churn", sa, new AssignmentRoleRequest().role(AssignmentRoleRequest.RoleEnum.OWNER), null, null, null);
        system.awaitProjectionsCaughtUp();
        ProjectQueryControllerApi access = new ProjectQueryControllerApi(query(admin));
        assertThat(roleOf(access.getProjectAccess(WS, "churn", instant, null), sa)).isEqualTo("contributor");
        Listing now = access.getProjectAccess(WS, "churn", null, null);
        assertThat(roleOf(now, sa)).isEqualTo("owner");
        assertThat(entryOf(now, sa).getGrants()).anySatisfy(grant -> {
            assertThat(grant.getSource()).isEqualTo("explicit");
            assertThat(grant.getGrantedBy().getId()).isEqualTo("bob");
        });
        // the current-state GET and its ?at= form are one operation: at is optional
        ServiceAccountQueryControllerApi accounts = new ServiceAccountQueryControllerApi(query(admin));
        assertThat(accounts.getServiceAccount(WS, sa, null, null).getName()).isEqualTo("ci-main");
        assertThat(accounts.getServiceAccount(WS, sa, instant, null).getName()).isEqualTo("ci-main");

        // 14. compliance: service accounts holding owner anywhere; working tokens that never expire
        ComplianceControllerApi compliance = new ComplianceControllerApi(query(admin));
        assertThat(compliance.listServiceAccountsWithOwner(WS, null).getItems())
                .anySatisfy(owner -> assertThat(owner.getId()).isEqualTo(sa.toString()));
        assertThat(compliance.listWorkingTokens(WS, true, null, null, null, null).getItems()).isNotEmpty();

        // 15. the account's timeline
        AuditQueryControllerApi audit = new AuditQueryControllerApi(query(admin));
        Eventually.untilAsserted(() -> assertThat(audit.getServiceAccountTimeline(WS, sa, null, null, null)
                .getItems()).hasSizeGreaterThan(5));

        // 16. everything done with the revoked token: the project it created, then the refused attempts
        Eventually.untilAsserted(() -> assertThat(audit.listAuditEntries(WS, null, null, null, null, null, null,
                tokenId.toString(), null, null, null, null, null, null, null, null).getItems())
                .extracting(entry -> entry.getType()).contains("project.created", "access.refused"));

        // 17. the whole trail as CSV and as ndjson; X-Audit-Complete-Up-To is the next export's cursor
        ResponseEntity<String> csv = audit.exportAuditEntriesWithHttpInfo(WS, "csv", null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
        assertThat(csv.getHeaders().getContentType()).hasToString("text/csv;charset=UTF-8");
        assertThat(csv.getBody()).startsWith("position,event_id,occurred_at,type,");
        String upTo = csv.getHeaders().getFirst("X-Audit-Complete-Up-To");
        assertThat(Long.parseLong(upTo)).isPositive();
        ResponseEntity<String> ndjson = audit.exportAuditEntriesWithHttpInfo(WS, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
        List<String> lines = ndjson.getBody().lines().toList();
        assertThat(lines).hasSize(csv.getBody().split("\r\n").length - 1).allSatisfy(line ->
                assertThat(Api.JSON.readTree(line).get("position").asLong()).isPositive());
        assertThat(audit.exportAuditEntries(WS, "ndjson", null, null, null, null, null, null, null, null, null,
                null, upTo, null, null, null)).as("nothing new after the cursor (an empty body)").isNullOrEmpty();

        // 18. the read models' state; a replay of the audit trail (202, progress at its Location)
        ProjectionsControllerApi projections = new ProjectionsControllerApi(query(operator));
        assertThat(projections.listProjections(null).getItems()).extracting(ProjectionStatus::getName)
                .contains("audit", "service-accounts", "members", "projects");
        ResponseEntity<ProjectionStatus> replay = projections.replayProjectionWithHttpInfo("audit", null, "tour",
                null);
        assertThat(replay.getStatusCode().value()).isEqualTo(202);
        assertThat(replay.getHeaders().getLocation()).hasToString("/v1/admin/projections/audit");
        Eventually.untilAsserted(() -> assertThat(projections.getProjection("audit", null).getState())
                .isEqualTo("live"));
        assertThat(audit.exportAuditEntries(WS, "ndjson", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null).lines().count()).isGreaterThanOrEqualTo(lines.size());

        // 19. delete the account (204); a problem names what is wrong in bad input
        assertThat(new ServiceAccountControllerApi(command(admin)).deleteServiceAccountWithHttpInfo(WS, sa, null,
                null, null).getStatusCode().value()).isEqualTo(204);
        Problem invalid = assertProblem(() -> new ServiceAccountControllerApi(command(admin)).createServiceAccount(WS,
                new CreateServiceAccountRequest().name(" padded "), null, null, null), 400, "invalid-field");
        assertThat(invalid.getErrors()).extracting(error -> error.getField()).containsExactly("name");
    }

    private static dev.svcaccounts.client.command.ApiClient command(String token) {
        dev.svcaccounts.client.command.ApiClient client = new dev.svcaccounts.client.command.ApiClient();
        client.setBasePath(system.commandUrl());
        client.setBearerToken(token);
        return client;
    }

    private static dev.svcaccounts.client.query.ApiClient query(String token) {
        dev.svcaccounts.client.query.ApiClient client = new dev.svcaccounts.client.query.ApiClient();
        client.setBasePath(system.queryUrl());
        client.setBearerToken(token);
        return client;
    }

    private static Entry entryOf(Listing listing, UUID account) {
        return listing.getItems().stream().filter(entry -> entry.getPrincipal().getId().equals(account.toString()))
                .findFirst().orElseThrow(() -> new AssertionError(account + " not in " + listing));
    }

    private static String roleOf(Listing listing, UUID account) {
        return entryOf(listing, account).getRole();
    }

    /** The refusal as the generated client gives it: its status, and its body read as a {@code Problem}. */
    private static Problem assertProblem(Runnable call, int status, String code) {
        RestClientResponseException refused = catchThrowableOfType(RestClientResponseException.class, call::run);
        assertThat(refused).as("refused with " + status + " " + code).isNotNull();
        assertThat(refused.getStatusCode().value()).isEqualTo(status);
        assertThat(refused.getResponseHeaders().getContentType()).hasToString("application/problem+json");
        Problem problem = refused.getResponseBodyAs(Problem.class);
        assertThat(problem.getType()).hasToString("urn:svcaccounts:problem:" + code);
        assertThat(problem.getStatus()).isEqualTo(status);
        assertThat(problem.getDetail()).isNotBlank();
        return problem;
    }
}
