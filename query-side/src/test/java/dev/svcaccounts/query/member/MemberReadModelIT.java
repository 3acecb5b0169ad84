package dev.svcaccounts.query.member;

import dev.svcaccounts.credentials.Principals;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.ReadModelDatabase;
import dev.svcaccounts.query.TokenView;
import dev.svcaccounts.query.TokenWithLastUse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class MemberReadModelIT {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-02T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-02-01T10:00:00Z");

    private final MemberProjection projection = new MemberProjection(ReadModelDatabase.jdbc());
    private final MemberReadModel readModel = new MemberReadModel(ReadModelDatabase.jdbc(),
            Clock.fixed(NOW, ZoneOffset.UTC), new Principals(ReadModelDatabase.jdbc()));

    @BeforeEach
    void clear() {
        ReadModelDatabase.clear();
        ReadModelDatabase.emptyTokenUsage();
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
        assertThat(readModel.list("acme"))
                .containsExactly(new MemberView("bob", "member", T1, new PrincipalView("user", "amy")));
    }

    @Test
    void aUsersTokens_areListedWithTheirStatus_andServiceAccountTokensAreNot() {
        PrincipalRef bob = PrincipalRef.user("bob");
        projection.on(new UserAddedEvent("acme", "bob", WorkspaceRole.MEMBER), T0, "USER", "zoe");
        projection.on(new TokenIssuedEvent("acme", "t1", bob, "hash-1", "usrtok_...aaaa", "first token", null),
                T0, "zoe");
        projection.on(new TokenIssuedEvent("acme", "t2", bob, "hash-2", "usrtok_...bbbb", "laptop", T1), T0, "bob");
        projection.on(new TokenIssuedEvent("acme", "t3", bob, "hash-3", "usrtok_...cccc", null, null), T1, "bob");
        projection.on(new TokenRevokedEvent("acme", "t3", bob, TokenRevocationCause.REVOKED), T1);
        projection.on(new TokenIssuedEvent("acme", "s1", PrincipalRef.serviceAccount("sa"), "hash-s", "svcacct_...dddd",
                null, null), T0, "zoe");

        assertThat(readModel.tokens("acme", "bob")).extracting(TokenWithLastUse::token)
                .extracting(TokenView::id, TokenView::status, TokenView::createdBy)
                .containsExactly(
                        tuple("t1", "active", "zoe"),
                        tuple("t2", "expired", "bob"),
                        tuple("t3", "revoked", "bob"));
        assertThat(readModel.tokens("acme", "sa")).isEmpty();
        assertThat(ReadModelDatabase.dump("member_token")).noneMatch(row -> row.contains("hash-"));
    }

    @Test
    void aUsersTokens_showTheirLastUse_orThatTheyWereNeverUsed() {
        PrincipalRef bob = PrincipalRef.user("bob");
        projection.on(new UserAddedEvent("acme", "bob", WorkspaceRole.MEMBER), T0, "USER", "zoe");
        projection.on(new TokenIssuedEvent("acme", "t1", bob, "hash-1", "usrtok_...aaaa", "used", null), T0, "zoe");
        projection.on(new TokenIssuedEvent("acme", "t2", bob, "hash-2", "usrtok_...bbbb", "unused", null), T0, "zoe");
        ReadModelDatabase.jdbc().update("INSERT INTO command_side.token_usage VALUES ('t1', 'acme', ?, '10.1.2.3')",
                Timestamp.from(T1));

        assertThat(readModel.tokens("acme", "bob"))
                .extracting(token -> token.token().id(), TokenWithLastUse::lastUsedAt, TokenWithLastUse::lastUsedIp,
                        TokenWithLastUse::neverUsed)
                .containsExactly(
                        tuple("t1", T1, "10.1.2.3", false),
                        tuple("t2", null, null, true));
    }

    @Test
    void aUsernameAddedAgain_seesOnlyTheTokensOfItsNewMembership() {
        PrincipalRef bob = PrincipalRef.user("bob");
        projection.on(new UserAddedEvent("acme", "bob", WorkspaceRole.MEMBER), T0, "USER", "zoe");
        projection.on(new TokenIssuedEvent("acme", "old", bob, "hash-1", "usrtok_...aaaa", "laptop", null), T0, "bob");
        projection.on(new TokenRevokedEvent("acme", "old", bob, TokenRevocationCause.MEMBER_REMOVED), T0);
        projection.on(new MemberRemovedEvent("acme", "bob", WorkspaceRole.MEMBER));
        assertThat(readModel.tokens("acme", "bob")).as("not a member").isEmpty();

        projection.on(new UserAddedEvent("acme", "bob", WorkspaceRole.MEMBER), T1, "USER", "zoe");
        projection.on(new TokenIssuedEvent("acme", "new", bob, "hash-2", "usrtok_...bbbb", "first token", null),
                T1, "zoe");
        assertThat(readModel.tokens("acme", "bob")).extracting(token -> token.token().id()).containsExactly("new");
    }

    @Test
    void everyEventHandledTwice_leavesTheSameRows_andResetEmptiesTheTable() {
        List<Runnable> history = List.of(
                () -> projection.on(new UserAddedEvent("acme", "zoe", WorkspaceRole.ADMIN), T0, "OPERATOR", "operator"),
                () -> projection.on(new UserAddedEvent("acme", "bob", WorkspaceRole.MEMBER), T0, "USER", "zoe"),
                () -> projection.on(
                        new MemberRoleChangedEvent("acme", "bob", WorkspaceRole.ADMIN, WorkspaceRole.MEMBER)),
                () -> projection.on(new UserAddedEvent("acme", "cy", WorkspaceRole.MEMBER), T1, "USER", "bob"),
                () -> projection.on(new TokenIssuedEvent("acme", "t1", PrincipalRef.user("bob"), "h1", "usrtok_...aaaa",
                        null, null), T0, "zoe"),
                () -> projection.on(new TokenIssuedEvent("acme", "t2", PrincipalRef.user("cy"), "h2", "usrtok_...bbbb",
                        null, null), T1, "bob"),
                () -> projection.on(new TokenRevokedEvent("acme", "t2", PrincipalRef.user("cy"),
                        TokenRevocationCause.MEMBER_REMOVED), T1),
                () -> projection.on(new MemberRemovedEvent("acme", "cy", WorkspaceRole.MEMBER)));
        history.forEach(Runnable::run);
        List<String> once = ReadModelDatabase.dump("member");
        List<String> tokensOnce = ReadModelDatabase.dump("member_token");

        projection.reset();
        assertThat(ReadModelDatabase.dump("member")).isEmpty();
        assertThat(ReadModelDatabase.dump("member_token")).isEmpty();
        history.forEach(event -> {
            event.run();
            event.run();
        });
        assertThat(ReadModelDatabase.dump("member")).isEqualTo(once).hasSize(2);
        assertThat(ReadModelDatabase.dump("member_token")).isEqualTo(tokensOnce).hasSize(2);
    }
}
