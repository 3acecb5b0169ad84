package dev.svcaccounts.infra.security;

import dev.svcaccounts.events.TokenSecret;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class OperatorVerificationTest {

    private static final String SECRET = "operator-credential-5f2b9c0e7a1d4e8f9b3c6a2d0e1f4a7b";

    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final OperatorVerification verification = new OperatorVerification(jdbc, new SecretDigests());

    @Test
    void theStoredForm_isSaltedAndSlow_andMatchesOnlyItsSecret() {
        String stored = OperatorSecretHash.hash(SECRET);
        assertThat(stored).startsWith("pbkdf2-sha256$600000$").doesNotContain(SECRET);
        assertThat(OperatorSecretHash.hash(SECRET)).as("salted: another hash every time").isNotEqualTo(stored);
        assertThat(OperatorSecretHash.isCurrent(stored)).isTrue();
        assertThat(OperatorSecretHash.matches(SECRET, stored)).isTrue();
        assertThat(OperatorSecretHash.matches(SECRET + "x", stored)).isFalse();
        assertThat(OperatorSecretHash.matches(SECRET, "pbkdf2-sha256$x$y")).as("malformed").isFalse();
    }

    @Test
    void aSecretThatMatched_isRecognisedWithoutHashing_untilTheStoredValueChanges() {
        // a stored value no secret hashes to: only the remembered match can make it match
        String stored = "pbkdf2-sha256$600000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        verification.remember(SECRET, stored);
        assertThat(verification.matches(SECRET, stored)).isTrue();
        assertThat(verification.matches(SECRET + "x", stored)).as("another secret is hashed").isFalse();
        String rotated = stored.replace("$AAAAAAAAAAAAAAAAAAAAAA$", "$BBBBBBBBBBBBBBBBBBBBBB$");
        assertThat(verification.matches(SECRET, rotated)).as("after a rotation, hashed again").isFalse();
    }

    @Test
    void manyRequestsBringingTheSameSecretAtOnce_hashItOnce_andAllPass() throws Exception {
        AtomicInteger hashes = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        OperatorVerification coalescing = new OperatorVerification(jdbc, new SecretDigests(), (secret, stored) -> {
            hashes.incrementAndGet();
            await(release);
            return secret.equals(SECRET);
        }, 1);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(() -> coalescing.matches(SECRET, "pbkdf2-sha256$600000$salt$hash")));
            }
            release.countDown();
            for (Future<Boolean> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(hashes.get()).as("one slow hash for eight requests").isEqualTo(1);
    }

    @Test
    void anUnsaltedSha256StoredBefore_stillMatches_andIsReplacedByTheSaltedForm() {
        String legacy = TokenSecret.hash(SECRET);
        assertThat(OperatorSecretHash.isLegacy(legacy)).isTrue();
        when(jdbc.update(contains("UPDATE command_side.operator_credential"), anyString(), eq(legacy))).thenReturn(1);

        assertThat(verification.matches(SECRET, legacy)).isTrue();

        ArgumentCaptor<String> salted = ArgumentCaptor.forClass(String.class);
        verify(jdbc).update(contains("UPDATE command_side.operator_credential"), salted.capture(), eq(legacy));
        assertThat(OperatorSecretHash.isCurrent(salted.getValue())).isTrue();
        assertThat(OperatorSecretHash.matches(SECRET, salted.getValue())).isTrue();
        assertThat(verification.matches(SECRET, salted.getValue())).as("remembered under its new form").isTrue();
    }

    @Test
    void aWrongSecretAgainstALegacyHash_changesNothing() {
        assertThat(verification.matches("not-the-operator-credential-at-all-0123", TokenSecret.hash(SECRET))).isFalse();
        verify(jdbc, never()).update(anyString(), anyString(), anyString());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
