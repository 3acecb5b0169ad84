package dev.svcaccounts.command.workspace;

import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.svcaccounts.command.workspace.History.*;

/**
 * The rule on a new workspace ({@link WorkspaceRules}). Each feature's rules have their own test in the feature's
 * package; the rules that span features are in {@link SeedAccessRulesTest} and {@link WorkspaceLimitsRulesTest}.
 */
class WorkspaceRulesTest {

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
    }

    @Test
    void creatingWorkspace_addsItsAdminWithAFirstToken() {
        fixture.givenNoPriorActivity()
                .when(new CreateWorkspaceCommand(WS, "Acme", "alice", token("admin-token")))
                .expectEvents(
                        new WorkspaceCreatedEvent(WS, "Acme"),
                        new UserAddedEvent(WS, "alice", WorkspaceRole.ADMIN),
                        issued(ADMIN, token("admin-token")));
    }
}
