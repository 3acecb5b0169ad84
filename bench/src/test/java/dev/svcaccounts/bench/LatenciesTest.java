package dev.svcaccounts.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatenciesTest {

    @Test
    void percentilesAreNearestRankOverEveryValueWhateverTheOrderTheyCameIn() {
        Latencies latencies = new Latencies();
        for (long v = 100; v >= 1; v--) {
            latencies.add(v);
        }
        assertThat(latencies.percentile(50)).isEqualTo(50);
        assertThat(latencies.percentile(95)).isEqualTo(95);
        assertThat(latencies.percentile(99)).isEqualTo(99);
        assertThat(latencies.percentile(100)).isEqualTo(100);
    }

    @Test
    void mergedThreadsCountAsOne() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 0; i < 1970; i++) {
            a.add(1);
        }
        for (int i = 0; i < 30; i++) {
            b.add(1000);
        }
        a.addAll(b);
        assertThat(a.count()).isEqualTo(2000);
        assertThat(a.percentile(99)).isEqualTo(1000); // 1.5% of slow answers in one thread make the p99
        assertThat(a.percentile(98)).isEqualTo(1);
    }

    @Test
    void nothingMeasuredIsZeroNotAnError() {
        assertThat(new Latencies().percentile(99)).isZero();
    }
}
