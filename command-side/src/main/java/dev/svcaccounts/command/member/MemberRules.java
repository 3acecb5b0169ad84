package dev.svcaccounts.command.member;

import dev.svcaccounts.command.policy.TokenPolicyRules;
import dev.svcaccounts.command.project.ProjectRules;
import dev.svcaccounts.command.token.TokenRules;
import dev.svcaccounts.command.workspace.Decision;
import dev.svcaccounts.command.workspace.WorkspaceLimits;
import dev.svcaccounts.command.workspace.WorkspaceState;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules on a workspace's users: only admins add, change and remove them, usernames are unique and never an
 * account's id or a reserved name, and the workspace never loses its last admin.
 */
public final class MemberRules {

    private MemberRules() {
    }

    /** Returns the member's first token as recorded: its expiry follows the credential policy. */
    public static Decision<TokenIssuedEvent> add(WorkspaceState state, AddMemberCommand command, WorkspaceLimits limits,
                                                 Instant now) {
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
        TokenIssuedEvent token = TokenPolicyRules.tokenAlong(state, PrincipalRef.user(command.username()),
                command.firstToken(), now).orElseThrow();
        return Decision.returning(token, new UserAddedEvent(state.workspaceId(), command.username(), command.role()),
                token);
    }

    /** Returns the member's role once decided; asking for the role it has records nothing. */
    public static Decision<WorkspaceRole> changeRole(WorkspaceState state, ChangeMemberRoleCommand command) {
        state.requireAdmin(command.actor(), "change members' roles");
        WorkspaceRole current = state.requireMember(command.username());
        if (current == command.role()) {
            return Decision.returning(current);
        }
        if (state.members().isLastAdmin(command.username())) {
            throw lastAdmin(state, command.username(), "demoted");
        }
        return Decision.returning(command.role(),
                new MemberRoleChangedEvent(state.workspaceId(), command.username(), command.role(), current));
    }

    /** Its tokens are revoked and its project roles end, each on its own record, before the user goes. */
    public static Decision<Void> remove(WorkspaceState state, RemoveMemberCommand command, Instant now) {
        state.requireAdmin(command.actor(), "remove members");
        WorkspaceRole current = state.requireMember(command.username());
        if (state.members().isLastAdmin(command.username())) {
            throw lastAdmin(state, command.username(), "removed");
        }
        PrincipalRef user = PrincipalRef.user(command.username());
        List<WorkspaceEvent> events = new ArrayList<>(
                TokenRules.revokeAll(state, user, TokenRevocationCause.MEMBER_REMOVED, now));
        events.addAll(ProjectRules.removeFromAllProjects(state, user, ProjectRoleRemovalCause.MEMBER_REMOVED));
        events.add(new MemberRemovedEvent(state.workspaceId(), command.username(), current));
        return Decision.of(events);
    }

    /** Names of principals that are not users are never usernames (see {@link Username#RESERVED}). */
    public static void requireUnreserved(String username) {
        if (Username.isReserved(username)) {
            throw DomainRuleException.invalid("username-reserved", "'" + username + "' is reserved: it names a "
                    + "principal that is not a user. Choose another username.");
        }
    }

    private static DomainRuleException lastAdmin(WorkspaceState state, String username, String what) {
        return DomainRuleException.conflict("last-admin", "User '" + username + "' is the only admin of workspace '"
                + state.workspaceId() + "' and cannot be " + what + ". Make another member admin first.");
    }
}
