package dev.svcaccounts.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The requests of one minute of the soak, recorded by every worker: how many answered as expected, their latency
 * from the moment the schedule meant them to be sent (so a server that falls behind shows in the latency, not in a
 * quietly lower rate), the unexpected answers by kind and status (0: no answer), and the read-your-write samples
 * that ended in the minute.
 */
final class SoakMinute {

    private final Latencies ok = new Latencies();
    private final Latencies readYourWrites = new Latencies();
    private final Map<String, Long> unexpected = new TreeMap<>();
    private long errors;

    synchronized void record(String kind, Http.Reply reply, boolean expected, long latencyNanos) {
        if (expected) {
            ok.add(latencyNanos);
        } else {
            errors++;
            unexpected.merge(kind + " " + reply.status(), 1L, Long::sum);
        }
    }

    synchronized void readYourWrite(long nanos) {
        readYourWrites.add(nanos);
    }

    /** The load's columns of the minute: {@code load.rps}, {@code load.errors}, percentiles in ms. */
    synchronized void writeTo(Map<String, Double> row, double seconds) {
        row.put("load.rps", ok.count() / seconds);
        row.put("load.errors", (double) errors);
        row.put("load.p50_ms", ok.count() == 0 ? Double.NaN : ok.percentile(50) / 1e6);
        row.put("load.p99_ms", ok.count() == 0 ? Double.NaN : ok.percentile(99) / 1e6);
        row.put("load.max_ms", ok.count() == 0 ? Double.NaN : ok.percentile(100) / 1e6);
        row.put("load.rw_p99_ms", readYourWrites.count() == 0 ? Double.NaN : readYourWrites.percentile(99) / 1e6);
    }

    /** Unexpected answers as "kind status" to their number. */
    synchronized Map<String, Long> unexpected() {
        return new TreeMap<>(unexpected);
    }
}
