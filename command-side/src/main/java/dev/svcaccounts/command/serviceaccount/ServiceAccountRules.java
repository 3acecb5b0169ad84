package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.command.policy.TokenPolicyRules;
import dev.svcaccounts.command.project.ProjectRules;
import dev.svcaccounts.command.token.TokenRules;
import dev.svcaccounts.command.workspace.Decision;
import dev.svcaccounts.command.workspace.WorkspaceState;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.refusals.DomainRuleException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules on service accounts: only workspace admins manage them, at most {@link ServiceAccounts#QUOTA} per
 * workspace (deactivated ones count, deleted ones do not), names unique regardless of case. Each decision returns
 * the account as it is once its events are applied.
 */
public final class ServiceAccountRules {

    private ServiceAccountRules() {
    }

    /** Its first token follows the credential policy, which may give it an expiry or allow none. */
    public static Decision<AccountWithToken> create(WorkspaceState state, CreateServiceAccountCommand command,
                                                    Instant now) {
        state.requireAdmin(command.actor(), "create service accounts");
        if (state.serviceAccounts().quotaReached()) {
            throw DomainRuleException.conflict("service-account-quota-reached", "Workspace '" + state.workspaceId()
                    + "' already has " + ServiceAccounts.QUOTA + " service accounts, the most it may have. "
                    + "Delete one to make room (deactivated accounts still count).");
        }
        requireNameFree(state, command.name(), null);
        Optional<TokenIssuedEvent> token = TokenPolicyRules.tokenAlong(state,
                PrincipalRef.serviceAccount(command.serviceAccountId()), command.firstToken(), now);
        List<WorkspaceEvent> events = new ArrayList<>();
        events.add(new ServiceAccountCreatedEvent(state.workspaceId(), command.serviceAccountId(), command.name(),
                command.description()));
        token.ifPresent(events::add);
        return Decision.returning(new AccountWithToken(new ServiceAccountState(command.serviceAccountId(),
                command.name(), command.description(), ServiceAccountStatus.ACTIVE), token.orElse(null)), events);
    }

    public static Decision<ServiceAccountState> update(WorkspaceState state, UpdateServiceAccountCommand command) {
        state.requireAdmin(command.actor(), "change service accounts");
        ServiceAccountState account = state.requireAccount(command.serviceAccountId());
        String name = command.name() != null ? command.name() : account.name();
        String description = command.description() == null ? account.description()
                : command.description().isEmpty() ? null : command.description();
        if (name.equals(account.name()) && Objects.equals(description, account.description())) {
            return Decision.returning(account);
        }
        requireNameFree(state, name, account.id());
        return Decision.returning(account.withName(name, description),
                new ServiceAccountUpdatedEvent(state.workspaceId(), account.id(), name, description,
                        account.name(), account.description()));
    }

    /** Its tokens are revoked; its project assignments stay, without effect until it is reactivated. */
    public static Decision<ServiceAccountState> deactivate(WorkspaceState state,
                                                           DeactivateServiceAccountCommand command, Instant now) {
        state.requireAdmin(command.actor(), "deactivate service accounts");
        ServiceAccountState account = state.requireAccount(command.serviceAccountId());
        if (account.status() == ServiceAccountStatus.DEACTIVATED) {
            throw DomainRuleException.conflict("service-account-already-deactivated",
                    "Service account '" + account.name() + "' is already deactivated.");
        }
        List<WorkspaceEvent> events = new ArrayList<>();
        events.add(new ServiceAccountDeactivatedEvent(state.workspaceId(), account.id(), command.reason()));
        events.addAll(TokenRules.revokeAll(state, PrincipalRef.serviceAccount(account.id()),
                TokenRevocationCause.ACCOUNT_DEACTIVATED, now));
        return Decision.returning(account.withStatus(ServiceAccountStatus.DEACTIVATED), events);
    }

    /** Its fresh token follows the credential policy, which may give it an expiry or allow none. */
    public static Decision<AccountWithToken> reactivate(WorkspaceState state, ReactivateServiceAccountCommand command,
                                                        Instant now) {
        state.requireAdmin(command.actor(), "reactivate service accounts");
        ServiceAccountState account = state.requireAccount(command.serviceAccountId());
        if (account.status() == ServiceAccountStatus.ACTIVE) {
            throw DomainRuleException.conflict("service-account-already-active", "Service account '"
                    + account.name() + "' is active; only a deactivated account can be reactivated.");
        }
        Optional<TokenIssuedEvent> token = TokenPolicyRules.tokenAlong(state,
                PrincipalRef.serviceAccount(account.id()), command.freshToken(), now);
        List<WorkspaceEvent> events = new ArrayList<>();
        events.add(new ServiceAccountReactivatedEvent(state.workspaceId(), account.id()));
        token.ifPresent(events::add);
        return Decision.returning(new AccountWithToken(account.withStatus(ServiceAccountStatus.ACTIVE),
                token.orElse(null)), events);
    }

    /** Its tokens are revoked and its assignments end, each on its own record, before the account goes. */
    public static Decision<Void> delete(WorkspaceState state, DeleteServiceAccountCommand command, Instant now) {
        state.requireAdmin(command.actor(), "delete service accounts");
        ServiceAccountState account = state.requireAccount(command.serviceAccountId());
        PrincipalRef ref = PrincipalRef.serviceAccount(account.id());
        List<WorkspaceEvent> events = new ArrayList<>(
                TokenRules.revokeAll(state, ref, TokenRevocationCause.ACCOUNT_DELETED, now));
        events.addAll(ProjectRules.removeFromAllProjects(state, ref, ProjectRoleRemovalCause.ACCOUNT_DELETED));
        events.add(new ServiceAccountDeletedEvent(state.workspaceId(), account.id(), account.name()));
        return Decision.of(events);
    }

    private static void requireNameFree(WorkspaceState state, String name, String exceptAccountId) {
        state.serviceAccounts().holderOf(name)
                .filter(holder -> !holder.equals(exceptAccountId))
                .ifPresent(holder -> {
                    throw DomainRuleException.conflict("service-account-name-taken", "A service account named '"
                            + name + "' already exists in workspace '" + state.workspaceId()
                            + "' (names are case-insensitive).");
                });
    }
}
