package dev.svcaccounts.command.workspace;

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
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
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
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One workspace: its users, its service accounts and every token. It is the consistency boundary for the
 * rules that span accounts (the quota of 50, unique names) and for who may manage them (workspace admins).
 */
@Aggregate
public class Workspace {

    @AggregateIdentifier
    private String workspaceId;
    private final Map<String, WorkspaceRole> users = new HashMap<>();
    private final ServiceAccounts serviceAccounts = new ServiceAccounts();
    private final Tokens tokens = new Tokens();

    protected Workspace() {
        // for Axon
    }

    @CommandHandler
    public Workspace(CreateWorkspaceCommand command) {
        apply(new WorkspaceCreatedEvent(command.workspaceId(), command.name()));
        apply(new UserAddedEvent(command.workspaceId(), command.adminUsername(), WorkspaceRole.ADMIN));
        // fields are set only once the constructor has returned, so the id comes from the command here
        issue(command.workspaceId(), PrincipalRef.user(command.adminUsername()), command.adminToken());
    }

    @CommandHandler
    public ServiceAccountState handle(CreateServiceAccountCommand command) {
        requireAdmin(command.actor());
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
        requireAdmin(command.actor());
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
        requireAdmin(command.actor());
        ServiceAccountState account = requireAccount(command.serviceAccountId());
        if (account.status() == ServiceAccountStatus.DEACTIVATED) {
            throw DomainRuleException.conflict("service-account-already-deactivated",
                    "Service account '" + account.name() + "' is already deactivated.");
        }
        apply(new ServiceAccountDeactivatedEvent(workspaceId, account.id(), command.reason()));
        revokeAll(PrincipalRef.serviceAccount(account.id()), TokenRevocationCause.ACCOUNT_DEACTIVATED, clock);
        return requireAccount(account.id());
    }

    @CommandHandler
    public ServiceAccountState handle(ReactivateServiceAccountCommand command) {
        requireAdmin(command.actor());
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
        requireAdmin(command.actor());
        ServiceAccountState account = requireAccount(command.serviceAccountId());
        revokeAll(PrincipalRef.serviceAccount(account.id()), TokenRevocationCause.ACCOUNT_DELETED, clock);
        apply(new ServiceAccountDeletedEvent(workspaceId, account.id(), account.name()));
    }

    @CommandHandler
    public void handle(IssueTokenCommand command, Clock clock) {
        requireAdmin(command.actor());
        ServiceAccountState account = requireAccount(command.serviceAccountId());
        PrincipalRef owner = PrincipalRef.serviceAccount(account.id());
        if (account.status() == ServiceAccountStatus.DEACTIVATED) {
            throw DomainRuleException.conflict("service-account-deactivated", "Service account '" + account.name()
                    + "' is deactivated; reactivate it, which issues a fresh token.");
        }
        NewToken token = command.token();
        if (token.expiresAt() != null && !token.expiresAt().isAfter(clock.instant())) {
            throw DomainRuleException.invalid("expiry-in-the-past", "expiresAt must be in the future.");
        }
        if (tokens.activeCount(owner, clock.instant()) >= Tokens.MAX_ACTIVE_PER_ACCOUNT) {
            throw DomainRuleException.conflict("token-limit-reached", "Service account '" + account.name()
                    + "' already has " + Tokens.MAX_ACTIVE_PER_ACCOUNT + " active tokens, the most it may have. "
                    + "Revoke one first.");
        }
        issue(owner, token);
    }

    @CommandHandler
    public void handle(RevokeTokenCommand command) {
        requireAdmin(command.actor());
        ServiceAccountState account = requireAccount(command.serviceAccountId());
        PrincipalRef owner = PrincipalRef.serviceAccount(account.id());
        if (!tokens.belongsTo(command.tokenId(), owner)) {
            throw DomainRuleException.notFound("token-not-found",
                    "Service account '" + account.name() + "' has no token '" + command.tokenId() + "'.");
        }
        if (tokens.isRevoked(command.tokenId())) {
            throw DomainRuleException.conflict("token-already-revoked",
                    "Token '" + command.tokenId() + "' is already revoked.");
        }
        apply(new TokenRevokedEvent(workspaceId, command.tokenId(), owner, TokenRevocationCause.REVOKED));
    }

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

    private void requireAdmin(PrincipalRef actor) {
        if (actor.type() == PrincipalType.SERVICE_ACCOUNT) {
            throw DomainRuleException.forbidden("workspace-admin-required", "Service accounts never hold the "
                    + "workspace admin role, and only workspace admins manage service accounts and their tokens.");
        }
        if (actor.type() != PrincipalType.USER || users.get(actor.id()) != WorkspaceRole.ADMIN) {
            throw DomainRuleException.forbidden("workspace-admin-required",
                    "Only workspace admins manage service accounts and their tokens.");
        }
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

    @EventSourcingHandler
    void on(WorkspaceCreatedEvent event) {
        workspaceId = event.workspaceId();
    }

    @EventSourcingHandler
    void on(UserAddedEvent event) {
        users.put(event.username(), event.role());
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
    void on(TokenRevokedEvent event) {
        tokens.revoked(event.tokenId());
    }
}
