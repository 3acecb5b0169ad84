package dev.svcaccounts.query.verification;

import dev.svcaccounts.query.ReadModelDatabase;
import dev.svcaccounts.query.integrity.MerkleLogStore;
import dev.svcaccounts.query.integrity.SigningKey;
import dev.svcaccounts.query.integrity.TrustedKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The verifications' table and runner: one at a time, a result that stays, never running for ever. */
class VerificationRunnerIT {

    private static final MerkleLogStore STORE = new MerkleLogStore(ReadModelDatabase.jdbc());

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final PlatformTransactionManager transactions = new DataSourceTransactionManager(jdbc.getDataSource());
    private final VerificationTable table = new VerificationTable(jdbc);
    private final SigningKey noKey = mock(SigningKey.class);
    private final List<VerificationRunner> runners = new ArrayList<>();

    @BeforeEach
    void empty() {
        ReadModelDatabase.emptyEventStore();
        jdbc.update("DELETE FROM query_side.audit_verification");
        when(noKey.trustedKeys()).thenReturn(TrustedKeys.NONE);
    }

    @AfterEach
    void stopRunners() throws InterruptedException {
        for (VerificationRunner runner : runners) {
            runner.stop();
        }
    }

    @Test
    void oneRunsAtATime_andItsResultStays() {
        Verification first = table.request("operator", "req-1", null).orElseThrow();
        assertThat(first.status()).isEqualTo("running");
        assertThat(table.request("operator", "req-2", null)).isEmpty();
        assertThat(table.running()).map(Verification::verificationId).contains(first.verificationId());

        runner(new StoreVerifier(jdbc.getDataSource(), jdbc, STORE, transactions, 100), Duration.ofSeconds(60))
                .checkSoon();
        await().atMost(Duration.ofSeconds(10)).until(() -> table.find(first.verificationId()).orElseThrow()
                .status().equals("passed"));
        assertThat(table.request("operator", "req-3", null)).as("the next may start once it is over").isPresent();
    }

    @Test
    void aDatabaseFailure_endsItAsAnError_withAMessage() {
        StoreVerifier failing = new StoreVerifier(jdbc.getDataSource(), jdbc, STORE, transactions, 100) {
            @Override
            Outcome verify(TrustedKeys keys, Progress progress) {
                progress.report(0, 10, 0);
                throw new DataAccessResourceFailureException("connection refused");
            }
        };
        String id = table.request("operator", null, null).orElseThrow().verificationId();
        runner(failing, Duration.ofSeconds(60)).checkSoon();
        await().atMost(Duration.ofSeconds(10)).until(() -> !table.find(id).orElseThrow().status().equals("running"));
        Verification ended = table.find(id).orElseThrow();
        assertThat(ended.status()).isEqualTo("error");
        assertThat(ended.message()).contains("connection refused");
        assertThat(ended.finishedAt()).isNotNull();
    }

    @Test
    void aNodeThatIsStopped_abandonsItsRun_sayingSo() throws InterruptedException {
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        StoreVerifier endless = new StoreVerifier(jdbc.getDataSource(), jdbc, STORE, transactions, 100) {
            @Override
            Outcome verify(TrustedKeys keys, Progress progress) {
                for (long checked = 0; ; checked += REPORT_EVERY) {
                    progress.report(checked, Long.MAX_VALUE, 0);
                    if (checked > 0) {
                        running.countDown(); // a report of some progress has been written
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        String id = table.request("operator", null, null).orElseThrow().verificationId();
        VerificationRunner runner = runner(endless, Duration.ofSeconds(60));
        runner.checkSoon();
        assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        runner.stop();

        Verification abandoned = table.find(id).orElseThrow();
        assertThat(abandoned.status()).isEqualTo("abandoned");
        assertThat(abandoned.message()).contains("was stopped");
        assertThat(abandoned.progress().checkedEvents()).isPositive();
    }

    @Test
    void oneWhoseNodeStoppedReporting_isAbandoned_andANewOneMayStart() {
        String id = table.request("operator", null, null).orElseThrow().verificationId();
        assertThat(table.claim("a-node-that-dies")).contains(id);
        assertThat(table.abandonStale(Duration.ofMinutes(1))).as("still within its lease").isFalse();
        jdbc.update("UPDATE query_side.audit_verification SET heartbeat_at = now() - interval '2 minutes'");

        assertThat(table.abandonStale(Duration.ofMinutes(1))).isTrue();
        Verification abandoned = table.find(id).orElseThrow();
        assertThat(abandoned.status()).isEqualTo("abandoned");
        assertThat(abandoned.message()).contains("stopped reporting progress");
        assertThat(table.progress(id, "a-node-that-dies", 5, 10, 0)).as("its node, back, may not go on").isFalse();
        assertThat(table.request("operator", null, null)).isPresent();
    }

    private VerificationRunner runner(StoreVerifier verifier, Duration lease) {
        VerificationRunner runner = new VerificationRunner(table, verifier, noKey, transactions, lease,
                Duration.ofMinutes(10));
        runners.add(runner);
        return runner;
    }
}
