package dev.svcaccounts.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * How long after a command's response its effect shows in the query side's read models, on a sample of the
 * commands: a probe polls the query side every {@value #POLL_MILLIS} ms until the change is there, and records
 * the time from the command's response to the answer that showed it. At most {@value #IN_FLIGHT} probes run at
 * once (a command that finds both busy is not sampled), so probing adds a bounded load and probes never queue,
 * which would add waiting time of their own. While a probe runs, the account it watches is left alone by the
 * command mix ({@link #isWatched}), so no later command hides the change it waits for.
 */
final class ReadYourWrites {

    static final int POLL_MILLIS = 10;
    static final int IN_FLIGHT = 2;
    static final long GIVE_UP_NANOS = 30_000_000_000L;

    private final Phase.Window window;
    private final ExecutorService probes = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
        Thread t = new Thread(r, "read-your-write-probe");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore free = new Semaphore(IN_FLIGHT);
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final Map<String, Latencies> latencies = new TreeMap<>();
    private final Map<String, Long> timeouts = new TreeMap<>();
    private final LongConsumer observer;

    ReadYourWrites(Phase.Window window) {
        this(window, nanos -> { });
    }

    /** {@code observer}: told every sample's time as it is taken (the soak keeps them by the minute). */
    ReadYourWrites(Phase.Window window, LongConsumer observer) {
        this.window = window;
        this.observer = observer;
    }

    boolean isWatched(String accountId) {
        return watched.contains(accountId);
    }

    /**
     * Samples the command that got {@code reply}, when a probe is free and the response came inside the measured
     * window: polls {@code visible} until it is true. {@code accountId}: the account the command changed.
     */
    void sample(String kind, Http.Reply reply, String accountId, BooleanSupplier visible) {
        if (!window.contains(reply.receivedNanos()) || !free.tryAcquire()) {
            return;
        }
        watched.add(accountId);
        probes.execute(() -> {
            try {
                long respondedAt = reply.receivedNanos();
                while (true) {
                    if (visible.getAsBoolean()) {
                        record(kind, System.nanoTime() - respondedAt);
                        return;
                    }
                    if (System.nanoTime() - respondedAt > GIVE_UP_NANOS) {
                        record(kind, System.nanoTime() - respondedAt); // in the percentiles too, not hidden
                        synchronized (this) {
                            timeouts.merge(kind, 1L, Long::sum);
                        }
                        return;
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                watched.remove(accountId);
                free.release();
            }
        });
    }

    private void record(String kind, long nanos) {
        synchronized (this) {
            latencies.computeIfAbsent(kind, k -> new Latencies()).add(nanos);
        }
        observer.accept(nanos);
    }

    /** Waits for the probes still running, then writes {@code rw.<kind>.*} and {@code rw.all.*}. */
    void finish(Results results) throws InterruptedException {
        probes.shutdown();
        probes.awaitTermination(GIVE_UP_NANOS + 5_000_000_000L, TimeUnit.NANOSECONDS);
        synchronized (this) {
            Latencies all = new Latencies();
            long allTimeouts = 0;
            for (Map.Entry<String, Latencies> e : latencies.entrySet()) {
                e.getValue().writeTo(results, "rw." + e.getKey());
                all.addAll(e.getValue());
            }
            for (Map.Entry<String, Long> e : timeouts.entrySet()) {
                results.put("rw." + e.getKey() + ".timeouts", e.getValue());
                allTimeouts += e.getValue();
            }
            all.writeTo(results, "rw.all");
            results.put("rw.all.timeouts", allTimeouts);
        }
    }
}
