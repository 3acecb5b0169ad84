package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.member.AddMemberCommand;
import dev.svcaccounts.command.member.ChangeMemberRoleCommand;
import dev.svcaccounts.command.member.Members;
import dev.svcaccounts.command.member.Username;
import dev.svcaccounts.command.member.RemoveMemberCommand;
import dev.svcaccounts.command.project.AssignProjectRoleCommand;
import dev.svcaccounts.command.project.AssignmentResult;
import dev.svcaccounts.command.project.CreateProjectCommand;
import dev.svcaccounts.command.project.DeleteProjectCommand;
import dev.svcaccounts.command.project.ProjectState;
import dev.svcaccounts.command.project.ProjectSummary;
import dev.svcaccounts.command.project.Projects;
import dev.svcaccounts.command.project.UnassignProjectRoleCommand;
import dev.svcaccounts.command.project.UpdateProjectCommand;
import dev.svcaccounts.command.serviceaccount.CreateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.DeactivateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.DeleteServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.ReactivateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.ServiceAccountState;
import dev.svcaccounts.command.serviceaccount.ServiceAccountStatus;
import dev.svcaccounts.command.serviceaccount.ServiceAccounts;
import dev.svcaccounts.command.serviceaccount.UpdateServiceAccountCommand;
import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.command.token.RevokeTokenCommand;
import dev.svcaccounts.command.token.Tokens;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRefusal;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One workspace: its users, service accounts, tokens and projects with their assignments. It is the
 * consistency boundary for every rule that spans them: the quota of 50 and unique names, never losing the
 * last admin, assignments only of accounts and members that exist, and who may manage what. Commands on
 * one workspace are serialised, so each rule is checked against the state it changes, and so is the token each
 * command was sent with: a command decided after its token ended is refused (see {@link #requireWorkingToken}).
 */
@Aggregate(repository = "workspaceRepository")
public class Workspace {

    @AggregateIdentifier
    private String workspaceId;
    private final Members members = new Members();
    private final ServiceAccounts serviceAccounts = new ServiceAccounts();
    private final Tokens tokens = new Tokens();
    private final Projects projects = new Projects();

    protected Workspace() {
        // for Axon
    }

    @CommandHandler
    public Workspace(CreateWorkspaceCommand command) {
        requireUnreserved(command.adminUsername());
        apply(new WorkspaceCreatedEvent(command.workspaceId(), command.name()));
        apply(new UserAddedEvent(command.workspaceId(), command.adminUsername(), WorkspaceRole.ADMIN));
        // fields are set only once the constructor has returned, so the id comes from the command here
        issue(command.workspaceId(), PrincipalRef.user(command.adminUsername()), command.adminToken());
    }

    // ---- the token every command is sent with

    /**
     * Every command on a workspace is decided only while the token it was sent with still works, as this workspace
     * knows it when it decides: not revoked, not expired by the clock, its owner a member or an active account.
     * Authentication checked the token when the request arrived, but a revocation, deactivation, deletion or removal
     * decided meanwhile comes first in the workspace's order; the command is then refused with 401 and the rule
     * (recorded as {@code access.refused}), so that nothing made with a token follows its end in the stream.
     * The operator, with no token in any workspace, only creates workspaces, which this does not intercept.
     */
    @CommandHandlerInterceptor
    void requireWorkingToken(CommandMessage<?> command, Clock clock) {
        Object tokenId = command.getMetaData().get(AuditMetadata.ACTOR_TOKEN_ID);
        Object actorType = command.getMetaData().get(AuditMetadata.ACTOR_TYPE);
        Object actorId = command.getMetaData().get(AuditMetadata.ACTOR_ID);
        if (tokenId == null) {
            if (actorType != null) {
                // every principal of a workspace acts with a token; only the operator has none, and none here
                throw notThisWorkspacesToken();
            }
            return; // no actor at all: not sent on behalf of a request (the aggregate's own tests)
        }
        Tokens.TokenState token = tokens.find(tokenId.toString()).orElseThrow(Workspace::notThisWorkspacesToken);
        if (!token.owner().type().name().equals(actorType) || !token.owner().id().equals(actorId)) {
            throw notThisWorkspacesToken();
        }
        Instant now = clock.instant();
        TokenRefusal.of(now, token.revokedAt(), token.cause(), token.expiresAt(), isActive(token.owner()),
                token.owner().type()).ifPresent(refusal -> {
                    throw DomainRuleException.unauthenticated(refusal.rule(), refusal.detail());
                });
    }

    private static DomainRuleException notThisWorkspacesToken() {
        return DomainRuleException.unauthenticated("unauthenticated",
                "The request's token is not a token of this workspace's actor.");
    }

    // ---- members

    @CommandHandler
    public void handle(AddMemberCommand command, WorkspaceLimits limits) {
        requireAdmin(command.actor(), "add members");
        requireUnreserved(command.username());
        if (members.roleOf(command.username()).isPresent()) {
            throw DomainRuleException.conflict("member-exists", "User '" + command.username()
                    + "' is already a member of workspace '" + workspaceId + "'.");
        }
        if (serviceAccounts.find(command.username()).isPresent()) {
            throw DomainRuleException.invalid("username-is-a-service-account-id", "'" + command.username()
                    + "' is the id of a service account of this workspace; choose another username.");
        }
        if (members.count() >= limits.members()) {
            throw limitReached("member-limit-reached", "members", limits.members(), "Remove a member first.");
        }
        apply(new UserAddedEvent(workspaceId, command.username(), command.role()));
        issue(PrincipalRef.user(command.username()), command.firstToken());
    }

    @CommandHandler
    public WorkspaceRole handle(ChangeMemberRoleCommand command) {
        requireAdmin(command.actor(), "change members' roles");
        WorkspaceRole current = requireMember(command.username());
        if (current == command.role()) {
            return current;
        }
        if (members.isLastAdmin(command.username())) {
            throw lastAdmin(command.username(), "demoted");
        }
        apply(new MemberRoleChangedEvent(workspaceId, command.username(), command.role(), current));
        return command.role();
    }

    @CommandHandler
    public void handle(RemoveMemberCommand command, Clock clock) {
        requireAdmin(command.actor(), "remove members");
        WorkspaceRole current = requireMember(command.username());
        if (members.isLastAdmin(command.username())) {
            throw lastAdmin(command.username(), "removed");
        }
        PrincipalRef user = PrincipalRef.user(command.username());
        revokeAll(user, TokenRevocationCause.MEMBER_REMOVED, clock);
        removeFromAllProjects(user, ProjectRoleRemovalCause.MEMBER_REMOVED);
        apply(new MemberRemovedEvent(workspaceId, command.username(), current));
    }

    // ---- service accounts

    @CommandHandler
    public ServiceAccountState handle(CreateServiceAccountCommand command) {
        requireAdmin(command.actor(), "create service accounts");
        if (serviceAccounts.quotaReached()) {
            throw DomainRuleException.conflict("service-account-quota-reached", "Workspace '" + workspaceId
                    + "' already has " + ServiceAccounts.QUOTA + " service accounts, the most it may have. "
                    + "Delete one to make room (deactivated accounts still count).");
        }
        requireNameFree(command.name(), null);
        apply(new ServiceAccountCreatedEvent(workspaceId, command.serviceAccountId(), command.name(),
                command.description()));
        issue(PrincipalRef.serviceAccount(command.serviceAccountId()), command.firstToken());
        return requireAccount(command.serviceAccountId());
    }

    @CommandHandler
    public ServiceAccountState handle(UpdateServiceAccountCommand command) {
        requireAdmin(command.actor(), "change service accounts");
        ServiceAccountState account = requireAccount(command.serviceAccountId());
        String name = command.name() != null ? command.name() : account.name();
        String description = command.description() == null ? account.description()
                : command.description().isEmpty() ? null : command.description();
        if (name.equals(account.name()) && Objects.equals(description, account.description())) {
            return account;
        }
        requireNameFree(name, account.id());
        apply(new ServiceAccountUpdatedEvent(workspaceId, account.id(), name, description,
                account.name(), account.description()));
        return requireAccount(account.id());
    }

    @CommandHandler
    public ServiceAccountState handle(DeactivateServiceAccountCommand command, Clock clock) {
        requireAdmin(command.actor(), "deactivate service accounts");
        ServiceAccountState account = requireAccount(command.serviceAccountId());
        if (account.status() == ServiceAccountStatus.DEACTIVATED) {
            throw DomainRuleException.conflict("service-account-already-deactivated",
                    "Service account '" + account.name() + "' is already deactivated.");
        }
        // its project assignments stay, without effect until it is reactivated
        apply(new ServiceAccountDeactivatedEvent(workspaceId, account.id(), command.reason()));
        revokeAll(PrincipalRef.serviceAccount(account.id()), TokenRevocationCause.ACCOUNT_DEACTIVATED, clock);
        return requireAccount(account.id());
    }

    @CommandHandler
    public ServiceAccountState handle(ReactivateServiceAccountCommand command) {
        requireAdmin(command.actor(), "reactivate service accounts");
        ServiceAccountState account = requireAccount(command.serviceAccountId());
        if (account.status() == ServiceAccountStatus.ACTIVE) {
            throw DomainRuleException.conflict("service-account-already-active",
                    "Service account '" + account.name() + "' is active; only a deactivated account can be reactivated.");
        }
        apply(new ServiceAccountReactivatedEvent(workspaceId, account.id()));
        issue(PrincipalRef.serviceAccount(account.id()), command.freshToken());
        return requireAccount(account.id());
    }

    @CommandHandler
    public void handle(DeleteServiceAccountCommand command, Clock clock) {
        requireAdmin(command.actor(), "delete service accounts");
        ServiceAccountState account = requireAccount(command.serviceAccountId());
        PrincipalRef ref = PrincipalRef.serviceAccount(account.id());
        revokeAll(ref, TokenRevocationCause.ACCOUNT_DELETED, clock);
        removeFromAllProjects(ref, ProjectRoleRemovalCause.ACCOUNT_DELETED);
        apply(new ServiceAccountDeletedEvent(workspaceId, account.id(), account.name()));
    }

    // ---- tokens

    @CommandHandler
    public void handle(IssueTokenCommand command, Clock clock, WorkspaceLimits limits) {
        String ownerName = requireTokenManager(command.owner(), command.actor(), "issue");
        if (command.owner().type() == PrincipalType.SERVICE_ACCOUNT
                && requireAccount(command.owner().id()).status() == ServiceAccountStatus.DEACTIVATED) {
            throw DomainRuleException.conflict("service-account-deactivated", ownerName
                    + " is deactivated; reactivate it, which issues a fresh token.");
        }
        NewToken token = command.token();
        if (token.expiresAt() != null && !token.expiresAt().isAfter(clock.instant())) {
            throw DomainRuleException.invalid("expiry-in-the-past", "expiresAt must be in the future.");
        }
        int limit = limits.activeTokensPerPrincipal();
        if (tokens.activeCount(command.owner(), clock.instant()) >= limit) {
            throw DomainRuleException.conflict("token-limit-reached", ownerName + " already has " + limit
                    + " active tokens, the most it may have. Revoke one first.").with("limit", limit);
        }
        issue(command.owner(), token);
    }

    @CommandHandler
    public void handle(RevokeTokenCommand command) {
        String ownerName = requireTokenManager(command.owner(), command.actor(), "revoke");
        if (!tokens.belongsTo(command.tokenId(), command.owner())) {
            throw DomainRuleException.notFound("token-not-found",
                    ownerName + " has no token '" + command.tokenId() + "'.");
        }
        if (tokens.isRevoked(command.tokenId())) {
            throw DomainRuleException.conflict("token-already-revoked",
                    "Token '" + command.tokenId() + "' is already revoked.");
        }
        apply(new TokenRevokedEvent(workspaceId, command.tokenId(), command.owner(), TokenRevocationCause.REVOKED));
    }

    // ---- projects

    @CommandHandler
    public ProjectSummary handle(CreateProjectCommand command, WorkspaceLimits limits) {
        requireActivePrincipal(command.actor());
        if (projects.find(command.projectKey()).isPresent()) {
            throw DomainRuleException.conflict("project-exists", "Workspace '" + workspaceId
                    + "' already has a project with key '" + command.projectKey() + "'.");
        }
        if (projects.count() >= limits.projects()) {
            throw limitReached("project-limit-reached", "projects", limits.projects(),
                    "A workspace admin can delete one first.");
        }
        requireAssignmentRoom(limits); // its creator becomes its owner
        apply(new ProjectCreatedEvent(workspaceId, command.projectKey(), command.name(), command.visibility(),
                command.actor()));
        apply(new ProjectRoleAssignedEvent(workspaceId, command.projectKey(), command.actor(), ProjectRole.OWNER, null));
        return ProjectSummary.of(projects.find(command.projectKey()).orElseThrow());
    }

    @CommandHandler
    public ProjectSummary handle(UpdateProjectCommand command) {
        ProjectState project = requireManageableProject(command.projectKey(), command.actor());
        if (command.name() != null && !command.name().equals(project.name())) {
            apply(new ProjectRenamedEvent(workspaceId, project.key(), command.name(), project.name()));
        }
        if (command.visibility() != null && command.visibility() != project.visibility()) {
            apply(new ProjectVisibilityChangedEvent(workspaceId, project.key(), command.visibility(),
                    project.visibility()));
        }
        return ProjectSummary.of(projects.find(project.key()).orElseThrow());
    }

    @CommandHandler
    public void handle(DeleteProjectCommand command) {
        requireActivePrincipal(command.actor());
        // refused before the project is looked up, so the answer tells a service account nothing about it
        if (command.actor().type() == PrincipalType.SERVICE_ACCOUNT) {
            throw DomainRuleException.forbidden("service-accounts-cannot-delete-projects", "Service accounts can "
                    + "never delete projects, whatever their role in the project. Ask a workspace admin.");
        }
        ProjectState project = requireVisibleProject(command.projectKey(), command.actor());
        if (!isAdmin(command.actor())) {
            throw DomainRuleException.forbidden("workspace-admin-required",
                    "Only workspace admins may delete projects, project owners included.");
        }
        // each assignment ends on its own record first, so an assignee's timeline shows its role ending here, and
        // not as still held in a later project with the same key
        project.assignmentsInOrder().forEach(assignment -> apply(new ProjectRoleRemovedEvent(workspaceId,
                project.key(), assignment.getKey(), assignment.getValue(), ProjectRoleRemovalCause.PROJECT_DELETED)));
        apply(new ProjectDeletedEvent(workspaceId, project.key(), project.name()));
    }

    @CommandHandler
    public AssignmentResult handle(AssignProjectRoleCommand command, WorkspaceLimits limits) {
        ProjectState project = requireManageableProject(command.projectKey(), command.actor());
        requireAssignable(command.assignee());
        ProjectRole previous = project.roleOf(command.assignee()).orElse(null);
        if (previous == null) {
            requireAssignmentRoom(limits);
        }
        if (previous != command.role()) {
            apply(new ProjectRoleAssignedEvent(workspaceId, project.key(), command.assignee(), command.role(), previous));
        }
        return new AssignmentResult(project.key(), command.assignee(), command.role(), previous);
    }

    @CommandHandler
    public void handle(UnassignProjectRoleCommand command) {
        ProjectState project = requireManageableProject(command.projectKey(), command.actor());
        ProjectRole previous = project.roleOf(command.assignee()).orElseThrow(() -> DomainRuleException.notFound(
                "assignment-not-found", describe(command.assignee()) + " is not assigned to project '"
                        + project.key() + "'."));
        apply(new ProjectRoleRemovedEvent(workspaceId, project.key(), command.assignee(), previous,
                ProjectRoleRemovalCause.UNASSIGNED));
    }

    // ---- rules

    private void requireAdmin(PrincipalRef actor, String action) {
        if (actor.type() == PrincipalType.SERVICE_ACCOUNT) {
            throw DomainRuleException.forbidden("workspace-admin-required", "Only workspace admins may " + action
                    + ", and service accounts never hold the workspace admin role.");
        }
        if (!isAdmin(actor)) {
            throw DomainRuleException.forbidden("workspace-admin-required", "Only workspace admins may " + action + ".");
        }
    }

    /** Only users are admins: a service account whose id happens to equal an admin's username is not one. */
    private boolean isAdmin(PrincipalRef actor) {
        return actor.type() == PrincipalType.USER && members.isAdmin(actor.id());
    }

    /** A current user, or a service account that is neither deactivated nor deleted. */
    private boolean isActive(PrincipalRef principal) {
        return switch (principal.type()) {
            case USER -> members.roleOf(principal.id()).isPresent();
            case SERVICE_ACCOUNT -> serviceAccounts.find(principal.id())
                    .filter(sa -> sa.status() == ServiceAccountStatus.ACTIVE).isPresent();
            case OPERATOR -> false;
        };
    }

    private void requireActivePrincipal(PrincipalRef actor) {
        if (!isActive(actor)) {
            throw DomainRuleException.forbidden("inactive-principal", describe(actor)
                    + " is not an active user or service account of workspace '" + workspaceId + "'.");
        }
    }

    private Optional<ProjectAccess> accessOf(PrincipalRef principal, ProjectState project) {
        return ProjectAccess.resolve(principal.type(), members.roleOf(principal.id()).orElse(null),
                isActive(principal), project.visibility(), project.roleOf(principal).orElse(null));
    }

    /**
     * The project, if the actor may know it exists: a user sees every project of its workspace, a service
     * account only those it has access to. Anything else is "not found", as for a project that does not exist.
     */
    private ProjectState requireVisibleProject(String key, PrincipalRef actor) {
        requireActivePrincipal(actor);
        return projects.find(key)
                .filter(project -> actor.type() == PrincipalType.USER || accessOf(actor, project).isPresent())
                .orElseThrow(() -> DomainRuleException.notFound("project-not-found",
                        "Project '" + key + "' was not found in workspace '" + workspaceId + "'."));
    }

    /** Renaming, changing visibility and managing assignments need the owner role: explicit, or as workspace admin. */
    private ProjectState requireManageableProject(String key, PrincipalRef actor) {
        ProjectState project = requireVisibleProject(key, actor);
        if (accessOf(actor, project).filter(access -> access.permits(ProjectPermission.MANAGE)).isEmpty()) {
            throw DomainRuleException.forbidden("project-manage-required", "Only owners of project '" + key
                    + "' and workspace admins may change it or manage who is assigned to it.");
        }
        return project;
    }

    /** Only a service account or user of this workspace that exists may be assigned; deactivated accounts may. */
    private void requireAssignable(PrincipalRef assignee) {
        if (assignee.type() == PrincipalType.SERVICE_ACCOUNT) {
            requireAccount(assignee.id());
        } else {
            requireMember(assignee.id());
        }
    }

    /**
     * Service-account tokens are managed by workspace admins only (a project owner cannot); a user's tokens by
     * that user or an admin. Returns how to name the owner in messages.
     */
    private String requireTokenManager(PrincipalRef owner, PrincipalRef actor, String action) {
        if (owner.type() == PrincipalType.SERVICE_ACCOUNT) {
            requireAdmin(actor, action + " service-account tokens");
            return "Service account '" + requireAccount(owner.id()).name() + "'";
        }
        requireActivePrincipal(actor);
        if (!actor.equals(owner) && !isAdmin(actor)) {
            throw DomainRuleException.forbidden("token-owner-or-admin-required",
                    "Only the user '" + owner.id() + "' or a workspace admin may " + action + " this user's tokens.");
        }
        requireMember(owner.id());
        return "User '" + owner.id() + "'";
    }

    private WorkspaceRole requireMember(String username) {
        return members.roleOf(username).orElseThrow(() -> DomainRuleException.notFound("member-not-found",
                "User '" + username + "' is not a member of workspace '" + workspaceId + "'."));
    }

    private ServiceAccountState requireAccount(String serviceAccountId) {
        return serviceAccounts.find(serviceAccountId).orElseThrow(() -> DomainRuleException.notFound(
                "service-account-not-found", "Service account '" + serviceAccountId + "' was not found."));
    }

    private void requireNameFree(String name, String exceptAccountId) {
        serviceAccounts.holderOf(name)
                .filter(holder -> !holder.equals(exceptAccountId))
                .ifPresent(holder -> {
                    throw DomainRuleException.conflict("service-account-name-taken", "A service account named '"
                            + name + "' already exists in workspace '" + workspaceId + "' (names are case-insensitive).");
                });
    }

    private void requireAssignmentRoom(WorkspaceLimits limits) {
        if (projects.assignmentCount() >= limits.assignments()) {
            throw limitReached("assignment-limit-reached", "explicit project assignments", limits.assignments(),
                    "Remove an assignment first.");
        }
    }

    private DomainRuleException limitReached(String code, String what, int limit, String remedy) {
        return DomainRuleException.conflict(code, "Workspace '" + workspaceId + "' already has " + limit + " "
                + what + ", the most it may have. " + remedy).with("limit", limit);
    }

    /** Names of principals that are not users are never usernames (see {@link Username#RESERVED}). */
    private static void requireUnreserved(String username) {
        if (Username.isReserved(username)) {
            throw DomainRuleException.invalid("username-reserved", "'" + username + "' is reserved: it names a "
                    + "principal that is not a user. Choose another username.");
        }
    }

    private DomainRuleException lastAdmin(String username, String what) {
        return DomainRuleException.conflict("last-admin", "User '" + username + "' is the only admin of workspace '"
                + workspaceId + "' and cannot be " + what + ". Make another member admin first.");
    }

    private static String describe(PrincipalRef principal) {
        return (principal.type() == PrincipalType.SERVICE_ACCOUNT ? "Service account '" : "User '") + principal.id() + "'";
    }

    // ---- event application helpers

    private void issue(PrincipalRef owner, NewToken token) {
        issue(workspaceId, owner, token);
    }

    private static void issue(String workspaceId, PrincipalRef owner, NewToken token) {
        apply(new TokenIssuedEvent(workspaceId, token.tokenId(), owner, token.secretHash(), token.hint(),
                token.description(), token.expiresAt()));
    }

    private void revokeAll(PrincipalRef owner, TokenRevocationCause cause, Clock clock) {
        List<String> active = tokens.activeOf(owner, clock.instant());
        active.forEach(tokenId -> apply(new TokenRevokedEvent(workspaceId, tokenId, owner, cause)));
    }

    private void removeFromAllProjects(PrincipalRef principal, ProjectRoleRemovalCause cause) {
        projects.assignmentsOf(principal).forEach((key, role) ->
                apply(new ProjectRoleRemovedEvent(workspaceId, key, principal, role, cause)));
    }

    // ---- state

    @EventSourcingHandler
    void on(WorkspaceCreatedEvent event) {
        workspaceId = event.workspaceId();
    }

    @EventSourcingHandler
    void on(UserAddedEvent event) {
        members.added(event.username(), event.role());
    }

    @EventSourcingHandler
    void on(MemberRoleChangedEvent event) {
        members.roleChanged(event.username(), event.role());
    }

    @EventSourcingHandler
    void on(MemberRemovedEvent event) {
        members.removed(event.username());
    }

    @EventSourcingHandler
    void on(ServiceAccountCreatedEvent event) {
        serviceAccounts.created(event);
    }

    @EventSourcingHandler
    void on(ServiceAccountUpdatedEvent event) {
        serviceAccounts.updated(event);
    }

    @EventSourcingHandler
    void on(ServiceAccountDeactivatedEvent event) {
        serviceAccounts.statusChanged(event.serviceAccountId(), ServiceAccountStatus.DEACTIVATED);
    }

    @EventSourcingHandler
    void on(ServiceAccountReactivatedEvent event) {
        serviceAccounts.statusChanged(event.serviceAccountId(), ServiceAccountStatus.ACTIVE);
    }

    @EventSourcingHandler
    void on(ServiceAccountDeletedEvent event) {
        serviceAccounts.deleted(event);
    }

    @EventSourcingHandler
    void on(TokenIssuedEvent event) {
        tokens.issued(event);
    }

    @EventSourcingHandler
    void on(TokenRevokedEvent event, @Timestamp Instant at) {
        tokens.revoked(event.tokenId(), event.cause(), at);
    }

    @EventSourcingHandler
    void on(ProjectCreatedEvent event) {
        projects.created(event);
    }

    @EventSourcingHandler
    void on(ProjectRenamedEvent event) {
        projects.renamed(event.projectKey(), event.name());
    }

    @EventSourcingHandler
    void on(ProjectVisibilityChangedEvent event) {
        projects.visibilityChanged(event.projectKey(), event.visibility());
    }

    @EventSourcingHandler
    void on(ProjectDeletedEvent event) {
        projects.deleted(event.projectKey());
    }

    @EventSourcingHandler
    void on(ProjectRoleAssignedEvent event) {
        projects.assigned(event.projectKey(), event.assignee(), event.role());
    }

    @EventSourcingHandler
    void on(ProjectRoleRemovedEvent event) {
        projects.unassigned(event.projectKey(), event.assignee());
    }
}
