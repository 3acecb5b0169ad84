package dev.svcaccounts.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PgbenchTest {

    @Test
    void latenciesComeFromEveryThreadsTransactionLogInMicroseconds(@TempDir Path dir) throws Exception {
        // client_id transaction_no time(us) script_no time_epoch time_us
        Files.writeString(dir.resolve("tx.1234"), "0 0 500 0 1700000000 1\n1 0 700 0 1700000000 2\n");
        Files.writeString(dir.resolve("tx.1234.1"), "4 0 9000 0 1700000000 3\n5 0 failed 0 1700000000 4\n");
        Files.writeString(dir.resolve("pgbench.out"), "tps = 12.5 (without initial connection time)\n");

        Latencies latencies = Pgbench.transactionLatencies(dir);

        assertThat(latencies.count()).isEqualTo(3); // the failed transaction has no latency
        assertThat(latencies.percentile(50)).isEqualTo(700_000);
        assertThat(latencies.percentile(99)).isEqualTo(9_000_000);
    }
}
