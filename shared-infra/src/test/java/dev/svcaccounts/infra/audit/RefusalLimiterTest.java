package dev.svcaccounts.infra.audit;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.infra.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalLimiterTest {

    private static final Instant START = Instant.parse("2030-01-01T12:00:00Z");
    private static final AuthenticatedPrincipal BOB_IN_A =
            new AuthenticatedPrincipal(PrincipalType.USER, "bob", "Bob", "ws-a", WorkspaceRole.MEMBER, "tok-a");
    private static final AuthenticatedPrincipal BOB_IN_B =
            new AuthenticatedPrincipal(PrincipalType.USER, "bob", "Bob", "ws-b", WorkspaceRole.MEMBER, "tok-b");
    private static final RefusalLimiter.Key T1 = RefusalLimiter.Key.token("ws-a", "t1");
    private static final RefusalLimiter.Key T2 = RefusalLimiter.Key.token("ws-a", "t2");

    private final TestClock clock = new TestClock(START);
    private final RefusalLimiter limiter = new RefusalLimiter(10, Duration.ofMinutes(1), clock, 1000);

    @Test
    void tenAMinutePerKey_areRecorded_theRestCounted() {
        assertThat(acquired(T1, 30)).isEqualTo(10);
        assertThat(acquired(T2, 3)).as("another key has its own budget").isEqualTo(3);

        clock.advance(Duration.ofSeconds(59));
        assertThat(acquired(T1, 5)).as("still the same minute").isZero();
        assertThat(limiter.takeEndedWithSkips()).as("nothing has ended yet").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.takeEndedWithSkips()).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo(T1);
            assertThat(s.windowStart()).isEqualTo(START);
            assertThat(s.windowEnd()).isEqualTo(START.plusSeconds(60));
            assertThat(s.count()).isEqualTo(25);
            assertThat(s.limit()).isEqualTo(10);
        });
        assertThat(limiter.takeEndedWithSkips()).as("each reported once").isEmpty();
        assertThat(acquired(T1, 12)).as("a new minute").isEqualTo(10);
    }

    @Test
    void aPrincipalRefusedInOneWorkspace_keepsItsBudgetInAnother() {
        RefusalLimiter.Key inB = RefusalLimiter.Key.principal(BOB_IN_B);
        RefusalLimiter.Key inA = RefusalLimiter.Key.principal(BOB_IN_A);
        assertThat(inA).isNotEqualTo(inB);
        assertThat(acquired(inB, 10, BOB_IN_B)).isEqualTo(10);
        assertThat(acquired(inB, 1, BOB_IN_B)).as("workspace B's budget is spent").isZero();
        assertThat(acquired(inA, 1, BOB_IN_A)).as("bob's escalation attempt in workspace A is recorded").isEqualTo(1);
        assertThat(RefusalLimiter.Key.token("ws-a", "t")).isNotEqualTo(RefusalLimiter.Key.token("ws-b", "t"));
    }

    @Test
    void theSummary_saysWhoByWhichRulesWithWhichTokenAndFromWhere() {
        RefusalLimiter.Key key = RefusalLimiter.Key.principal(BOB_IN_A);
        acquired(key, 10, BOB_IN_A);
        limiter.tryAcquire(key, new RefusalLimiter.Refusal(BOB_IN_A, "workspace-admin-required", "10.0.0.1"));
        limiter.tryAcquire(key, new RefusalLimiter.Refusal(BOB_IN_A, "workspace-admin-required", "10.0.0.1"));
        limiter.tryAcquire(key, new RefusalLimiter.Refusal(BOB_IN_A, "project-manage-required", "10.0.0.2"));
        clock.advance(Duration.ofMinutes(1));

        RefusalLimiter.Skipped skipped = limiter.takeEndedWithSkips().get(0);
        assertThat(skipped.count()).isEqualTo(3);
        assertThat(skipped.principal()).isEqualTo(PrincipalRef.user("bob"));
        assertThat(skipped.actorName()).isEqualTo("Bob");
        assertThat(skipped.tokenId()).as("one token").isEqualTo("tok-a");
        assertThat(skipped.clientIp()).as("several addresses: none named").isNull();
        assertThat(skipped.rules()).containsExactly(Map.entry("project-manage-required", 1),
                Map.entry("workspace-admin-required", 2));
    }

    @Test
    void aWindowEndedByTheNextRefusal_isReportedWithItsOwnCount() {
        RefusalLimiter.Key sa = new RefusalLimiter.Key("ws-a", "service_account", "x");
        acquired(sa, 11);
        clock.advance(Duration.ofSeconds(90));
        acquired(sa, 13);
        clock.advance(Duration.ofSeconds(60));
        assertThat(limiter.takeEndedWithSkips()).extracting(RefusalLimiter.Skipped::windowStart,
                RefusalLimiter.Skipped::count).containsExactly(
                org.assertj.core.groups.Tuple.tuple(START, 1),
                org.assertj.core.groups.Tuple.tuple(START.plusSeconds(90), 3));
    }

    @Test
    void windowsWithoutSkips_endSilently() {
        acquired(T1, 10);
        clock.advance(Duration.ofMinutes(2));
        assertThat(limiter.takeEndedWithSkips()).isEmpty();
        assertThat(acquired(T1, 10)).isEqualTo(10);
    }

    @Test
    void atShutdown_openWindowsEndNow_andChangedOnesAreTakenOnceForSaving() {
        acquired(T1, 12);
        assertThat(limiter.takeChangedOpenWindows()).singleElement()
                .satisfies(s -> assertThat(s.count()).isEqualTo(2));
        assertThat(limiter.takeChangedOpenWindows()).as("unchanged since").isEmpty();
        acquired(T1, 1);
        assertThat(limiter.takeChangedOpenWindows()).singleElement()
                .satisfies(s -> assertThat(s.count()).isEqualTo(3));

        clock.advance(Duration.ofSeconds(20));
        assertThat(limiter.takeAllWithSkips()).singleElement().satisfies(s -> {
            assertThat(s.count()).isEqualTo(3);
            assertThat(s.windowEnd()).as("cut short").isEqualTo(START.plusSeconds(20));
        });
    }

    @Test
    void beyondItsMostKeys_aRefusalIsRecorded() {
        RefusalLimiter small = new RefusalLimiter(1, Duration.ofMinutes(1), clock, 2);
        small.tryAcquire(T1, refusal(BOB_IN_A));
        small.tryAcquire(T2, refusal(BOB_IN_A));
        RefusalLimiter.Key third = RefusalLimiter.Key.token("ws-a", "t3");
        assertThat(small.tryAcquire(third, refusal(BOB_IN_A))).isTrue();
        assertThat(small.tryAcquire(third, refusal(BOB_IN_A))).as("not limited: memory stays bounded").isTrue();
    }

    private int acquired(RefusalLimiter.Key key, int attempts) {
        return acquired(key, attempts, BOB_IN_A);
    }

    private int acquired(RefusalLimiter.Key key, int attempts, AuthenticatedPrincipal actor) {
        return (int) IntStream.range(0, attempts).filter(i -> limiter.tryAcquire(key, refusal(actor))).count();
    }

    private static RefusalLimiter.Refusal refusal(AuthenticatedPrincipal actor) {
        return new RefusalLimiter.Refusal(actor, "token-revoked", "127.0.0.1");
    }
}
