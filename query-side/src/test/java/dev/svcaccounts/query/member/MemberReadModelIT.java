package dev.svcaccounts.query.member;

import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.ReadModelDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MemberReadModelIT {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-02T10:00:00Z");

    private final MemberProjection projection = new MemberProjection(ReadModelDatabase.jdbc());
    private final MemberReadModel readModel = new MemberReadModel(ReadModelDatabase.jdbc());

    @BeforeEach
    void clear() {
        ReadModelDatabase.clear();
    }

    @Test
    void membersAreListedByUsername_withRoleAndWhoAddedThem() {
        projection.on(new UserAddedEvent("acme", "zoe", WorkspaceRole.ADMIN), T0, "OPERATOR", "operator");
        projection.on(new UserAddedEvent("acme", "bob", WorkspaceRole.MEMBER), T1, "USER", "zoe");
        projection.on(new UserAddedEvent("other", "ann", WorkspaceRole.ADMIN), T1, "OPERATOR", "operator");
        projection.on(new MemberRoleChangedEvent("acme", "bob", WorkspaceRole.ADMIN, WorkspaceRole.MEMBER));

        assertThat(readModel.list("acme")).containsExactly(
                new MemberView("bob", "admin", T1, new PrincipalView("user", "zoe")),
                new MemberView("zoe", "admin", T0, new PrincipalView("operator", "operator")));
    }

    @Test
    void removedMember_isGone_andMayBeAddedAgainAfresh() {
        projection.on(new UserAddedEvent("acme", "bob", WorkspaceRole.ADMIN), T0, "USER", "zoe");
        projection.on(new MemberRemovedEvent("acme", "bob", WorkspaceRole.ADMIN));
        assertThat(readModel.list("acme")).isEmpty();

        projection.on(new UserAddedEvent("acme", "bob", WorkspaceRole.MEMBER), T1, "USER", "amy");
        assertThat(readModel.list("acme")).containsExactly(new MemberView("bob", "member", T1, new PrincipalView("user", "amy")));
    }

    @Test
    void everyEventHandledTwice_leavesTheSameRows_andResetEmptiesTheTable() {
        List<Runnable> history = List.of(
                () -> projection.on(new UserAddedEvent("acme", "zoe", WorkspaceRole.ADMIN), T0, "OPERATOR", "operator"),
                () -> projection.on(new UserAddedEvent("acme", "bob", WorkspaceRole.MEMBER), T0, "USER", "zoe"),
                () -> projection.on(new MemberRoleChangedEvent("acme", "bob", WorkspaceRole.ADMIN, WorkspaceRole.MEMBER)),
                () -> projection.on(new UserAddedEvent("acme", "cy", WorkspaceRole.MEMBER), T1, "USER", "bob"),
                () -> projection.on(new MemberRemovedEvent("acme", "cy", WorkspaceRole.MEMBER)));
        history.forEach(Runnable::run);
        List<String> once = ReadModelDatabase.dump("member");

        projection.reset();
        assertThat(ReadModelDatabase.dump("member")).isEmpty();
        history.forEach(event -> {
            event.run();
            event.run();
        });
        assertThat(ReadModelDatabase.dump("member")).isEqualTo(once).hasSize(2);
    }
}
