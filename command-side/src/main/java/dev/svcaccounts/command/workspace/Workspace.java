package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.common.WithoutPrincipal;
import dev.svcaccounts.command.federation.AddFederationRuleCommand;
import dev.svcaccounts.command.federation.ExchangeTokenCommand;
import dev.svcaccounts.command.federation.FederationRules;
import dev.svcaccounts.command.federation.RemoveFederationRuleCommand;
import dev.svcaccounts.command.member.AddMemberCommand;
import dev.svcaccounts.command.member.ChangeMemberRoleCommand;
import dev.svcaccounts.command.member.MemberRules;
import dev.svcaccounts.command.member.RemoveMemberCommand;
import dev.svcaccounts.command.policy.PolicyDecision;
import dev.svcaccounts.command.policy.RevokeIdleTokensCommand;
import dev.svcaccounts.command.policy.SetTokenPolicyCommand;
import dev.svcaccounts.command.policy.TokenPolicyRules;
import dev.svcaccounts.command.project.AssignProjectRoleCommand;
import dev.svcaccounts.command.project.AssignmentResult;
import dev.svcaccounts.command.project.CreateProjectCommand;
import dev.svcaccounts.command.project.DeleteProjectCommand;
import dev.svcaccounts.command.project.ProjectRules;
import dev.svcaccounts.command.project.ProjectSummary;
import dev.svcaccounts.command.project.UnassignProjectRoleCommand;
import dev.svcaccounts.command.project.UpdateProjectCommand;
import dev.svcaccounts.command.serviceaccount.AccountWithToken;
import dev.svcaccounts.command.serviceaccount.CreateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.DeactivateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.DeleteServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.ReactivateServiceAccountCommand;
import dev.svcaccounts.command.serviceaccount.ServiceAccountRules;
import dev.svcaccounts.command.serviceaccount.ServiceAccountState;
import dev.svcaccounts.command.serviceaccount.UpdateServiceAccountCommand;
import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.command.token.LeakedTokenRules;
import dev.svcaccounts.command.token.RevokeLeakedTokensCommand;
import dev.svcaccounts.command.token.RevokeTokenCommand;
import dev.svcaccounts.command.token.RotateTokenCommand;
import dev.svcaccounts.command.token.Rotation;
import dev.svcaccounts.command.token.RotationRules;
import dev.svcaccounts.command.token.TokenRules;
import dev.svcaccounts.command.token.TokenScopeRules;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.events.WorkspaceRole;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;

/**
 * One workspace: its users, service accounts, tokens and projects with their assignments. It is the
 * consistency boundary for every rule that spans them: the quota of 50 and unique names, never losing the
 * last admin, assignments only of accounts and members that exist, and who may manage what. Commands on
 * one workspace are serialised, so each rule is checked against the state it changes, and so is the token each
 * command was sent with: a command decided after its token ended is refused (see {@link #requireWorkingToken}).
 * <p>
 * The aggregate only dispatches: each feature's rules class ({@link MemberRules}, {@link ServiceAccountRules},
 * {@link TokenRules}, {@link ProjectRules}) decides on the {@link WorkspaceState} what a command records and
 * returns, or refuses it; this applies the decided events, in order, and the state folds each one in.
 */
@Aggregate(repository = "workspaceRepository", commandTargetResolver = "workspaceTargetResolver")
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
        // applied once the constructor has returned, so decided from the command alone
        decide(WorkspaceRules.create(command));
    }

    /**
     * Every command on a workspace is decided only while the token it was sent with still works, as this workspace
     * knows it when it decides ({@link TokenRules#requireWorkingToken}). The operator, with no token in any
     * workspace, only creates workspaces, which this does not intercept. A scoped token sends nothing workspace-level
     * ({@link TokenScopeRules#requireWithinScope}); within a project, the project's rules cap its actor's access.
     */
    @CommandHandlerInterceptor
    void requireWorkingToken(CommandMessage<?> command, Clock clock) {
        if (command.getPayload() instanceof WithoutPrincipal) {
            return; // no principal's token to check: its rules decide (LeakedTokenRules, FederationRules)
        }
        TokenRules.requireWorkingToken(state, command.getMetaData(), clock.instant());
        TokenScopeRules.requireWithinScope(state, command.getPayload(), command.getMetaData());
    }

    /** Applies the decided events in order (each folded into the state at once) and returns the handler's result. */
    private static <R> R decide(Decision<R> decision) {
        decision.events().forEach(AggregateLifecycle::apply);
        return decision.result();
    }

    // ---- members

    @CommandHandler
    public TokenIssuedEvent handle(AddMemberCommand command, WorkspaceLimits limits, Clock clock) {
        return decide(MemberRules.add(state, command, limits, clock.instant()));
    }

    @CommandHandler
    public WorkspaceRole handle(ChangeMemberRoleCommand command) {
        return decide(MemberRules.changeRole(state, command));
    }

    @CommandHandler
    public void handle(RemoveMemberCommand command, Clock clock) {
        decide(MemberRules.remove(state, command, clock.instant()));
    }

    // ---- service accounts

    @CommandHandler
    public AccountWithToken handle(CreateServiceAccountCommand command, Clock clock) {
        return decide(ServiceAccountRules.create(state, command, clock.instant()));
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
    public AccountWithToken handle(ReactivateServiceAccountCommand command, Clock clock) {
        return decide(ServiceAccountRules.reactivate(state, command, clock.instant()));
    }

    @CommandHandler
    public void handle(DeleteServiceAccountCommand command, Clock clock) {
        decide(ServiceAccountRules.delete(state, command, clock.instant()));
    }

    // ---- tokens

    @CommandHandler
    public TokenIssuedEvent handle(IssueTokenCommand command, Clock clock, WorkspaceLimits limits) {
        return decide(TokenRules.issue(state, command, clock.instant(), limits));
    }

    @CommandHandler
    public void handle(RevokeTokenCommand command) {
        decide(TokenRules.revoke(state, command));
    }

    @CommandHandler
    public Rotation handle(RotateTokenCommand command, Clock clock) {
        return decide(RotationRules.rotate(state, command, clock.instant()));
    }

    @CommandHandler
    public void handle(RevokeLeakedTokensCommand command, Clock clock) {
        decide(LeakedTokenRules.revoke(state, command, clock.instant()));
    }

    // ---- federation: keyless pipelines

    @CommandHandler
    public FederationRule handle(AddFederationRuleCommand command) {
        return decide(FederationRules.add(state, command));
    }

    @CommandHandler
    public void handle(RemoveFederationRuleCommand command) {
        decide(FederationRules.remove(state, command));
    }

    @CommandHandler
    public TokenIssuedEvent handle(ExchangeTokenCommand command, Clock clock) {
        return decide(FederationRules.exchange(state, command, clock.instant()));
    }

    // ---- credential policy

    @CommandHandler
    public PolicyDecision handle(SetTokenPolicyCommand command, Clock clock) {
        return decide(TokenPolicyRules.set(state, command, clock.instant()));
    }

    /** Sent by the idle sweeper, with no actor: each token is decided again here. */
    @CommandHandler
    public int handle(RevokeIdleTokensCommand command, Clock clock) {
        return decide(TokenPolicyRules.revokeIdle(state, command, clock.instant()));
    }

    // ---- projects

    @CommandHandler
    public ProjectSummary handle(CreateProjectCommand command, WorkspaceLimits limits) {
        return decide(ProjectRules.create(state, command, limits));
    }

    @CommandHandler
    public ProjectSummary handle(UpdateProjectCommand command, MetaData metaData) {
        return decide(ProjectRules.update(state, command, TokenScopeRules.scopeOf(state, metaData)));
    }

    @CommandHandler
    public void handle(DeleteProjectCommand command) {
        decide(ProjectRules.delete(state, command));
    }

    @CommandHandler
    public AssignmentResult handle(AssignProjectRoleCommand command, WorkspaceLimits limits, MetaData metaData) {
        return decide(ProjectRules.assign(state, command, limits, TokenScopeRules.scopeOf(state, metaData)));
    }

    @CommandHandler
    public void handle(UnassignProjectRoleCommand command, MetaData metaData) {
        decide(ProjectRules.unassign(state, command, TokenScopeRules.scopeOf(state, metaData)));
    }

    // ---- state

    /** Every event of the workspace's stream, as it is applied or replayed: {@link WorkspaceState#evolve}. */
    @EventSourcingHandler
    void on(WorkspaceEvent event, @Timestamp Instant at) {
        state.evolve(event, at);
    }
}
