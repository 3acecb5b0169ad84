package dev.svcaccounts.bench;

import java.util.Arrays;

/**
 * Every latency of one kind of request, in nanoseconds, kept whole (a minute of load is a few hundred thousand
 * values) so that percentiles are exact: nearest rank on the sorted values. One per thread; merged at the end.
 */
final class Latencies {

    private long[] values = new long[1024];
    private int size;
    private boolean sorted = true;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
        sorted = false;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int count() {
        return size;
    }

    /** The nearest-rank percentile ({@code p} in 0..100) in nanoseconds; 0 when empty. */
    long percentile(double p) {
        if (size == 0) {
            return 0;
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100.0 * size);
        return values[Math.max(0, Math.min(size, rank) - 1)];
    }

    /** Count and p50/p95/p99 in milliseconds under {@code prefix}. */
    void writeTo(Results results, String prefix) {
        results.put(prefix + ".count", size);
        results.put(prefix + ".p50_ms", percentile(50) / 1e6);
        results.put(prefix + ".p95_ms", percentile(95) / 1e6);
        results.put(prefix + ".p99_ms", percentile(99) / 1e6);
    }
}
