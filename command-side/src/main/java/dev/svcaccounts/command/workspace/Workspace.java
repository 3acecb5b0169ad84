package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.member.AddMemberCommand;
import dev.svcaccounts.command.member.ChangeMemberRoleCommand;
import dev.svcaccounts.command.member.Username;
import dev.svcaccounts.command.member.RemoveMemberCommand;
import dev.svcaccounts.command.project.AssignProjectRoleCommand;
import dev.svcaccounts.command.project.AssignmentResult;
import dev.svcaccounts.command.project.CreateProjectCommand;
import dev.svcaccounts.command.project.DeleteProjectCommand;
import dev.svcaccounts.command.project.ProjectRules;
import dev.svcaccounts.command.project.ProjectSummary;
import dev.svcaccounts.command.project.UnassignProjectRoleCommand;
import dev.svcaccounts.command.project.UpdateProjectCommand;
import dev.svcaccounts.command.serviceaccount.CreateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.DeactivateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.DeleteServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.ReactivateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.ServiceAccountState;
import dev.svcaccounts.command.serviceaccount.ServiceAccountStatus;
import dev.svcaccounts.command.serviceaccount.ServiceAccountRules;
import dev.svcaccounts.command.serviceaccount.UpdateServiceAccountCommand;
import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.command.token.RevokeTokenCommand;
import dev.svcaccounts.command.token.TokenRules;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRenamedEvent;
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
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.infra.web.DomainRuleException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;

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

    private final WorkspaceState state = new WorkspaceState();

    protected Workspace() {
        // for Axon
    }

    @AggregateIdentifier
    String workspaceId() {
        return state.workspaceId();
    }

    @CommandHandler
    public Workspace(CreateWorkspaceCommand command) {
        requireUnreserved(command.adminUsername());
        apply(new WorkspaceCreatedEvent(command.workspaceId(), command.name()));
        apply(new UserAddedEvent(command.workspaceId(), command.adminUsername(), WorkspaceRole.ADMIN));
        // fields are set only once the constructor has returned, so the id comes from the command here
        apply(TokenRules.issued(command.workspaceId(), PrincipalRef.user(command.adminUsername()),
                command.adminToken()));
    }

    // ---- the token every command is sent with

    /**
     * Every command on a workspace is decided only while the token it was sent with still works, as this workspace
     * knows it when it decides ({@link TokenRules#requireWorkingToken}). The operator, with no token in any
     * workspace, only creates workspaces, which this does not intercept.
     */
    @CommandHandlerInterceptor
    void requireWorkingToken(CommandMessage<?> command, Clock clock) {
        TokenRules.requireWorkingToken(state, command.getMetaData(), clock.instant());
    }

    // ---- members

    @CommandHandler
    public void handle(AddMemberCommand command, WorkspaceLimits limits) {
        state.requireAdmin(command.actor(), "add members");
        requireUnreserved(command.username());
        if (state.members().roleOf(command.username()).isPresent()) {
            throw DomainRuleException.conflict("member-exists", "User '" + command.username()
                    + "' is already a member of workspace '" + state.workspaceId() + "'.");
        }
        if (state.serviceAccounts().find(command.username()).isPresent()) {
            throw DomainRuleException.invalid("username-is-a-service-account-id", "'" + command.username()
                    + "' is the id of a service account of this workspace; choose another username.");
        }
        if (state.members().count() >= limits.members()) {
            throw state.limitReached("member-limit-reached", "members", limits.members(), "Remove a member first.");
        }
        apply(new UserAddedEvent(state.workspaceId(), command.username(), command.role()));
        issue(PrincipalRef.user(command.username()), command.firstToken());
    }

    @CommandHandler
    public WorkspaceRole handle(ChangeMemberRoleCommand command) {
        state.requireAdmin(command.actor(), "change members' roles");
        WorkspaceRole current = state.requireMember(command.username());
        if (current == command.role()) {
            return current;
        }
        if (state.members().isLastAdmin(command.username())) {
            throw lastAdmin(command.username(), "demoted");
        }
        apply(new MemberRoleChangedEvent(state.workspaceId(), command.username(), command.role(), current));
        return command.role();
    }

    @CommandHandler
    public void handle(RemoveMemberCommand command, Clock clock) {
        state.requireAdmin(command.actor(), "remove members");
        WorkspaceRole current = state.requireMember(command.username());
        if (state.members().isLastAdmin(command.username())) {
            throw lastAdmin(command.username(), "removed");
        }
        PrincipalRef user = PrincipalRef.user(command.username());
        revokeAll(user, TokenRevocationCause.MEMBER_REMOVED, clock);
        removeFromAllProjects(user, ProjectRoleRemovalCause.MEMBER_REMOVED);
        apply(new MemberRemovedEvent(state.workspaceId(), command.username(), current));
    }

    // ---- service accounts

    @CommandHandler
    public ServiceAccountState handle(CreateServiceAccountCommand command) {
        return decide(ServiceAccountRules.create(state, command));
    }

    @CommandHandler
    public ServiceAccountState handle(UpdateServiceAccountCommand command) {
        return decide(ServiceAccountRules.update(state, command));
    }

    @CommandHandler
    public ServiceAccountState handle(DeactivateServiceAccountCommand command, Clock clock) {
        return decide(ServiceAccountRules.deactivate(state, command, clock.instant()));
    }

    @CommandHandler
    public ServiceAccountState handle(ReactivateServiceAccountCommand command) {
        return decide(ServiceAccountRules.reactivate(state, command));
    }

    @CommandHandler
    public void handle(DeleteServiceAccountCommand command, Clock clock) {
        decide(ServiceAccountRules.delete(state, command, clock.instant()));
    }

    // ---- tokens

    @CommandHandler
    public void handle(IssueTokenCommand command, Clock clock, WorkspaceLimits limits) {
        decide(TokenRules.issue(state, command, clock.instant(), limits));
    }

    @CommandHandler
    public void handle(RevokeTokenCommand command) {
        decide(TokenRules.revoke(state, command));
    }

    // ---- projects

    @CommandHandler
    public ProjectSummary handle(CreateProjectCommand command, WorkspaceLimits limits) {
        return decide(ProjectRules.create(state, command, limits));
    }

    @CommandHandler
    public ProjectSummary handle(UpdateProjectCommand command) {
        return decide(ProjectRules.update(state, command));
    }

    @CommandHandler
    public void handle(DeleteProjectCommand command) {
        decide(ProjectRules.delete(state, command));
    }

    @CommandHandler
    public AssignmentResult handle(AssignProjectRoleCommand command, WorkspaceLimits limits) {
        return decide(ProjectRules.assign(state, command, limits));
    }

    @CommandHandler
    public void handle(UnassignProjectRoleCommand command) {
        decide(ProjectRules.unassign(state, command));
    }

    // ---- rules

    /** Names of principals that are not users are never usernames (see {@link Username#RESERVED}). */
    private static void requireUnreserved(String username) {
        if (Username.isReserved(username)) {
            throw DomainRuleException.invalid("username-reserved", "'" + username + "' is reserved: it names a "
                    + "principal that is not a user. Choose another username.");
        }
    }

    private DomainRuleException lastAdmin(String username, String what) {
        return DomainRuleException.conflict("last-admin", "User '" + username + "' is the only admin of workspace '"
                + state.workspaceId() + "' and cannot be " + what + ". Make another member admin first.");
    }

    // ---- event application helpers

    /** Applies the decided events in order and returns what the handler returns. */
    private static <R> R decide(Decision<R> decision) {
        decision.events().forEach(AggregateLifecycle::apply);
        return decision.result();
    }

    private void issue(PrincipalRef owner, NewToken token) {
        apply(TokenRules.issued(state.workspaceId(), owner, token));
    }

    private void revokeAll(PrincipalRef owner, TokenRevocationCause cause, Clock clock) {
        TokenRules.revokeAll(state, owner, cause, clock.instant()).forEach(AggregateLifecycle::apply);
    }

    private void removeFromAllProjects(PrincipalRef principal, ProjectRoleRemovalCause cause) {
        ProjectRules.removeFromAllProjects(state, principal, cause).forEach(AggregateLifecycle::apply);
    }

    // ---- state

    @EventSourcingHandler
    void on(WorkspaceCreatedEvent event) {
        state.created(event.workspaceId());
    }

    @EventSourcingHandler
    void on(UserAddedEvent event) {
        state.members().added(event.username(), event.role());
    }

    @EventSourcingHandler
    void on(MemberRoleChangedEvent event) {
        state.members().roleChanged(event.username(), event.role());
    }

    @EventSourcingHandler
    void on(MemberRemovedEvent event) {
        state.members().removed(event.username());
    }

    @EventSourcingHandler
    void on(ServiceAccountCreatedEvent event) {
        state.serviceAccounts().created(event);
    }

    @EventSourcingHandler
    void on(ServiceAccountUpdatedEvent event) {
        state.serviceAccounts().updated(event);
    }

    @EventSourcingHandler
    void on(ServiceAccountDeactivatedEvent event) {
        state.serviceAccounts().statusChanged(event.serviceAccountId(), ServiceAccountStatus.DEACTIVATED);
    }

    @EventSourcingHandler
    void on(ServiceAccountReactivatedEvent event) {
        state.serviceAccounts().statusChanged(event.serviceAccountId(), ServiceAccountStatus.ACTIVE);
    }

    @EventSourcingHandler
    void on(ServiceAccountDeletedEvent event) {
        state.serviceAccounts().deleted(event);
    }

    @EventSourcingHandler
    void on(TokenIssuedEvent event) {
        state.tokens().issued(event);
    }

    @EventSourcingHandler
    void on(TokenRevokedEvent event, @Timestamp Instant at) {
        state.tokens().revoked(event.tokenId(), event.cause(), at);
    }

    @EventSourcingHandler
    void on(ProjectCreatedEvent event) {
        state.projects().created(event);
    }

    @EventSourcingHandler
    void on(ProjectRenamedEvent event) {
        state.projects().renamed(event.projectKey(), event.name());
    }

    @EventSourcingHandler
    void on(ProjectVisibilityChangedEvent event) {
        state.projects().visibilityChanged(event.projectKey(), event.visibility());
    }

    @EventSourcingHandler
    void on(ProjectDeletedEvent event) {
        state.projects().deleted(event.projectKey());
    }

    @EventSourcingHandler
    void on(ProjectRoleAssignedEvent event) {
        state.projects().assigned(event.projectKey(), event.assignee(), event.role());
    }

    @EventSourcingHandler
    void on(ProjectRoleRemovedEvent event) {
        state.projects().unassigned(event.projectKey(), event.assignee());
    }
}
