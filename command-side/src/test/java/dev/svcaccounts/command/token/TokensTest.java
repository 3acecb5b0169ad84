package dev.svcaccounts.command.token;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.TokenExchange;
import dev.svcaccounts.events.TokenExpiryCause;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counts and listings the token rules decide on, against the plain definition (a walk through every token the
 * workspace remembers) over long random histories of issues, revocations, shortened expiries and exchanges: the
 * index that saves the walk must never change an answer.
 */
class TokensTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<PrincipalRef> OWNERS = List.of(PrincipalRef.serviceAccount("sa-1"),
            PrincipalRef.serviceAccount("sa-2"), PrincipalRef.user("ada"), PrincipalRef.serviceAccount("sa-3"));

    @Test
    void countsAndListings_areThoseOfEveryTokenRemembered_throughoutLongHistories() {
        for (long seed = 1; seed <= 8; seed++) {
            Random random = new Random(seed);
            Tokens tokens = new Tokens();
            Map<String, Tokens.TokenState> remembered = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            Instant now = START;
            for (int step = 0; step < 800; step++) {
                now = now.plusSeconds(random.nextInt(30));
                int action = random.nextInt(10);
                if (action < 5 || ids.isEmpty()) {
                    String id = "t" + ids.size();
                    PrincipalRef owner = OWNERS.get(random.nextInt(OWNERS.size()));
                    Instant expiresAt = random.nextBoolean() ? null : now.plusSeconds(random.nextInt(3_600));
                    TokenExchange exchange = random.nextInt(4) == 0
                            ? new TokenExchange("rule", "https://issuer", "sub", "jti-" + id, Map.of(), expiresAt)
                            : null;
                    tokens.issued(new TokenIssuedEvent("ws", id, owner, "hash", "hint", "d", expiresAt, null, null,
                            exchange), now);
                    ids.add(id);
                } else if (action < 8) {
                    tokens.revoked(ids.get(random.nextInt(ids.size())), TokenRevocationCause.REVOKED, now);
                } else {
                    String id = ids.get(random.nextInt(ids.size()));
                    tokens.find(id).ifPresent(token -> tokens.expiryShortened(new TokenExpiryShortenedEvent("ws", id,
                            token.owner(), START.plusSeconds(random.nextInt(20_000)), token.expiresAt(),
                            TokenExpiryCause.ROTATED)));
                }
                remembered.clear();
                for (String id : ids) {
                    tokens.find(id).ifPresent(token -> remembered.put(id, token));
                }
                Instant at = now.plus(Duration.ofSeconds(random.nextInt(600) - 300));
                assertAsTheWalkSays(tokens, remembered, at);
            }
        }
    }

    @Test
    void aRevokedToken_nolongerCounts_andRevokingItAgainChangesNothing() {
        Tokens tokens = new Tokens();
        PrincipalRef owner = OWNERS.get(0);
        tokens.issued(new TokenIssuedEvent("ws", "a", owner, "hash", "hint", "d", null, null, null), START);
        tokens.issued(new TokenIssuedEvent("ws", "b", owner, "hash", "hint", "d", null, null, null), START);
        tokens.revoked("a", TokenRevocationCause.REVOKED, START.plusSeconds(1));
        tokens.revoked("a", TokenRevocationCause.ACCOUNT_DELETED, START.plusSeconds(2));

        assertThat(tokens.activeCount(owner, START.plusSeconds(3))).isEqualTo(1);
        assertThat(tokens.activeOf(owner, START.plusSeconds(3))).containsExactly("b");
        assertThat(tokens.find("a").orElseThrow().cause()).isEqualTo(TokenRevocationCause.REVOKED);
        assertThat(tokens.find("a").orElseThrow().revokedAt()).isEqualTo(START.plusSeconds(1));
    }

    @Test
    void aPipelineIssuingAndRevokingATokenPerJob_leavesNothingToWalkButItsWorkingTokens() {
        Tokens tokens = new Tokens();
        PrincipalRef pipeline = OWNERS.get(0);
        tokens.issued(new TokenIssuedEvent("ws", "kept", pipeline, "hash", "hint", "d", null, null, null), START);
        for (int job = 0; job < 10_000; job++) {
            Instant at = START.plusSeconds(job);
            tokens.issued(new TokenIssuedEvent("ws", "job-" + job, pipeline, "hash", "hint", "d", null, null, null),
                    at);
            tokens.revoked("job-" + job, TokenRevocationCause.REVOKED, at);
        }

        assertThat(tokens.activeCount(pipeline, START.plusSeconds(10_000))).isEqualTo(1);
        assertThat(tokens.unrevokedCount()).as("tokens a count walks").isEqualTo(1);
        assertThat(tokens.find("job-0")).as("a revoked token is still remembered").isPresent();
    }

    private static void assertAsTheWalkSays(Tokens tokens, Map<String, Tokens.TokenState> remembered, Instant at) {
        Map<String, Tokens.TokenState> active = new LinkedHashMap<>();
        remembered.forEach((id, token) -> {
            if (token.isActiveAt(at)) {
                active.put(id, token);
            }
        });
        assertThat(tokens.activeAt(at)).isEqualTo(active);
        assertThat(List.copyOf(tokens.activeAt(at).keySet())).isEqualTo(List.copyOf(active.keySet()));
        for (PrincipalRef owner : OWNERS) {
            List<String> ownersActive = active.entrySet().stream().filter(e -> e.getValue().owner().equals(owner))
                    .map(Map.Entry::getKey).toList();
            assertThat(tokens.activeOf(owner, at)).as("%s at %s", owner, at).isEqualTo(ownersActive);
            assertThat(tokens.activeCount(owner, at)).isEqualTo(ownersActive.stream()
                    .filter(id -> !active.get(id).exchanged()).count());
            assertThat(tokens.activeExchangedCount(owner, at)).isEqualTo(ownersActive.stream()
                    .filter(id -> active.get(id).exchanged()).count());
        }
    }
}
