package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.member.MemberRules;
import dev.svcaccounts.command.token.TokenRules;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceRole;

/** The rule on a new workspace: it starts with its admin, who has a first token, and a username of a user. */
final class WorkspaceRules {

    private WorkspaceRules() {
    }

    /** Decided before the workspace has any state, so everything comes from the command. */
    static Decision<Void> create(CreateWorkspaceCommand command) {
        MemberRules.requireUnreserved(command.adminUsername());
        return Decision.of(new WorkspaceCreatedEvent(command.workspaceId(), command.name()),
                new UserAddedEvent(command.workspaceId(), command.adminUsername(), WorkspaceRole.ADMIN),
                TokenRules.issued(command.workspaceId(), PrincipalRef.user(command.adminUsername()),
                        command.adminToken()));
    }
}
