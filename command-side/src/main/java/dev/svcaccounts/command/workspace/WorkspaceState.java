package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.federation.FederationState;
import dev.svcaccounts.command.member.Members;
import dev.svcaccounts.command.policy.TokenPolicyState;
import dev.svcaccounts.command.project.Projects;
import dev.svcaccounts.command.serviceaccount.ServiceAccountState;
import dev.svcaccounts.command.serviceaccount.ServiceAccountStatus;
import dev.svcaccounts.command.serviceaccount.ServiceAccounts;
import dev.svcaccounts.command.token.Tokens;
import dev.svcaccounts.events.FederationRuleAddedEvent;
import dev.svcaccounts.events.FederationRuleRemovedEvent;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenPolicySetEvent;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException;

import java.time.Instant;

/**
 * What the {@link Workspace} aggregate knows of its workspace, folded from its events ({@link #evolve}): the state
 * every rules class decides on, and the checks that more than one feature's rules share (who is an admin, who is
 * active, which member or account exists).
 */
public final class WorkspaceState {

    private String workspaceId;
    private final Members members = new Members();
    private final ServiceAccounts serviceAccounts = new ServiceAccounts();
    private final Tokens tokens = new Tokens();
    private final Projects projects = new Projects();
    private final TokenPolicyState tokenPolicy = new TokenPolicyState();
    private final FederationState federation = new FederationState();

    public String workspaceId() {
        return workspaceId;
    }

    public Members members() {
        return members;
    }

    public ServiceAccounts serviceAccounts() {
        return serviceAccounts;
    }

    public Tokens tokens() {
        return tokens;
    }

    public Projects projects() {
        return projects;
    }

    public TokenPolicyState tokenPolicy() {
        return tokenPolicy;
    }

    public FederationState federation() {
        return federation;
    }

    public void requireAdmin(PrincipalRef actor, String action) {
        if (actor.type() == PrincipalType.SERVICE_ACCOUNT) {
            throw DomainRuleException.forbidden("workspace-admin-required", "Only workspace admins may " + action
                    + ", and service accounts never hold the workspace admin role.");
        }
        if (!isAdmin(actor)) {
            throw DomainRuleException.forbidden("workspace-admin-required",
                    "Only workspace admins may " + action + ".");
        }
    }

    /** Only users are admins: a service account whose id happens to equal an admin's username is not one. */
    public boolean isAdmin(PrincipalRef actor) {
        return actor.type() == PrincipalType.USER && members.isAdmin(actor.id());
    }

    /** A current user, or a service account that is neither deactivated nor deleted. */
    public boolean isActive(PrincipalRef principal) {
        return switch (principal.type()) {
            case USER -> members.roleOf(principal.id()).isPresent();
            case SERVICE_ACCOUNT -> serviceAccounts.find(principal.id())
                    .filter(sa -> sa.status() == ServiceAccountStatus.ACTIVE).isPresent();
            case OPERATOR -> false;
        };
    }

    public void requireActivePrincipal(PrincipalRef actor) {
        if (!isActive(actor)) {
            throw DomainRuleException.forbidden("inactive-principal", describe(actor)
                    + " is not an active user or service account of workspace '" + workspaceId + "'.");
        }
    }

    public WorkspaceRole requireMember(String username) {
        return members.roleOf(username).orElseThrow(() -> DomainRuleException.notFound("member-not-found",
                "User '" + username + "' is not a member of workspace '" + workspaceId + "'."));
    }

    public ServiceAccountState requireAccount(String serviceAccountId) {
        return serviceAccounts.find(serviceAccountId).orElseThrow(() -> DomainRuleException.notFound(
                "service-account-not-found", "Service account '" + serviceAccountId + "' was not found."));
    }

    /** 409 for one of the {@link WorkspaceLimits}, with the limit as the problem's {@code limit} member. */
    public DomainRuleException limitReached(String code, String what, int limit, String remedy) {
        return DomainRuleException.conflict(code, "Workspace '" + workspaceId + "' already has " + limit + " "
                + what + ", the most it may have. " + remedy).with("limit", limit);
    }

    /**
     * How each event of the workspace's stream changes what it knows: the one fold of the aggregate, applied to
     * each event as it is decided and as the stream is replayed. Access refusals are not in the stream.
     *
     * @param at when the event was recorded (a revoked token remembers it)
     */
    void evolve(WorkspaceEvent event, Instant at) {
        if (event instanceof WorkspaceCreatedEvent e) {
            workspaceId = e.workspaceId();
        } else if (event instanceof UserAddedEvent e) {
            members.added(e.username(), e.role());
        } else if (event instanceof MemberRoleChangedEvent e) {
            members.roleChanged(e.username(), e.role());
        } else if (event instanceof MemberRemovedEvent e) {
            members.removed(e.username());
        } else if (event instanceof ServiceAccountCreatedEvent e) {
            serviceAccounts.created(e);
        } else if (event instanceof ServiceAccountUpdatedEvent e) {
            serviceAccounts.updated(e);
        } else if (event instanceof ServiceAccountDeactivatedEvent e) {
            serviceAccounts.statusChanged(e.serviceAccountId(), ServiceAccountStatus.DEACTIVATED);
        } else if (event instanceof ServiceAccountReactivatedEvent e) {
            serviceAccounts.statusChanged(e.serviceAccountId(), ServiceAccountStatus.ACTIVE);
        } else if (event instanceof ServiceAccountDeletedEvent e) {
            serviceAccounts.deleted(e);
            federation.accountDeleted(e.serviceAccountId());
        } else if (event instanceof TokenIssuedEvent e) {
            tokens.issued(e, at);
        } else if (event instanceof TokenRevokedEvent e) {
            tokens.revoked(e.tokenId(), e.cause(), at);
        } else if (event instanceof TokenExpiryShortenedEvent e) {
            tokens.expiryShortened(e);
        } else if (event instanceof TokenPolicySetEvent e) {
            tokenPolicy.set(e);
        } else if (event instanceof FederationRuleAddedEvent e) {
            federation.added(e.serviceAccountId(), e.rule());
        } else if (event instanceof FederationRuleRemovedEvent e) {
            federation.removed(e.serviceAccountId(), e.ruleId());
        } else if (event instanceof ProjectCreatedEvent e) {
            projects.created(e);
        } else if (event instanceof ProjectRenamedEvent e) {
            projects.renamed(e.projectKey(), e.name());
        } else if (event instanceof ProjectVisibilityChangedEvent e) {
            projects.visibilityChanged(e.projectKey(), e.visibility());
        } else if (event instanceof ProjectDeletedEvent e) {
            projects.deleted(e.projectKey());
        } else if (event instanceof ProjectRoleAssignedEvent e) {
            projects.assigned(e.projectKey(), e.assignee(), e.role());
        } else if (event instanceof ProjectRoleRemovedEvent e) {
            projects.unassigned(e.projectKey(), e.assignee());
        }
    }

    public static String describe(PrincipalRef principal) {
        return (principal.type() == PrincipalType.SERVICE_ACCOUNT ? "Service account '" : "User '")
                + principal.id() + "'";
    }
}
