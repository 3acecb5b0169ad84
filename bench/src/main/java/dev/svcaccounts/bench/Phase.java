package dev.svcaccounts.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * One phase of HTTP load: {@code clients} threads, each sending one request after the other (a closed loop, as
 * pgbench's clients do), first for a warm-up that is not measured (the JVMs compile their hot paths), then for
 * the measured window. A request counts when its answer arrives inside the window; its latency is from sending
 * to the whole answer received. CPU and memory are sampled over the window.
 */
final class Phase {

    /** One client's next request: sends it and records it. */
    interface Client {
        void step(Recorder recorder);
    }

    /** Where a client records its requests; one per thread. The soak ({@link Soak}) records by the minute instead. */
    static class Recorder {
        private final Window window;
        private final Map<String, Latencies> latencies = new TreeMap<>();
        private final Map<String, Long> errors = new TreeMap<>();
        private final Map<String, Latencies> localWork = new TreeMap<>();

        Recorder(Window window) {
            this.window = window;
        }

        /** Records a request of {@code kind} that got {@code reply}; ok: the answer was the expected one. */
        void record(String kind, Http.Reply reply, boolean ok) {
            if (!window.contains(reply.receivedNanos())) {
                return;
            }
            if (ok) {
                latencies.computeIfAbsent(kind, k -> new Latencies()).add(reply.nanos());
            } else {
                errors.merge(kind, 1L, Long::sum);
                ErrorLog.note(kind, reply);
                if (reply.status() == 0) {
                    pause(); // the server is not answering: do not spin
                }
            }
        }

        /**
         * Records work the load generator did for a request before sending it (a token exchange's JWT signing), from
         * {@code startNanos} to {@code endNanos}: not a request, not in any latency or rate, written apart under
         * {@code local.<what>.*}.
         */
        void recordLocal(String what, long startNanos, long endNanos) {
            if (window.contains(endNanos)) {
                localWork.computeIfAbsent(what, k -> new Latencies()).add(endNanos - startNanos);
            }
        }

        Window window() {
            return window;
        }
    }

    /** When the load starts (warm-up) and the measured window, in {@link System#nanoTime()}. */
    record Window(long loadStartNanos, long startNanos, long endNanos) {

        /** A phase whose warm-up starts in 200 ms (time for its threads to start). */
        static Window startingSoon(Duration warmup, Duration duration) {
            long load = System.nanoTime() + 200_000_000L;
            return new Window(load, load + warmup.toNanos(), load + warmup.toNanos() + duration.toNanos());
        }

        boolean contains(long nanos) {
            return nanos >= startNanos && nanos < endNanos;
        }

        boolean over() {
            return System.nanoTime() >= endNanos;
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    /** Keeps the first few unexpected answers of each kind for the log, to show why a figure is low. */
    static final class ErrorLog {
        private static final Map<String, AtomicLong> SEEN = new ConcurrentHashMap<>();

        static void note(String kind, Http.Reply reply) {
            if (SEEN.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet() <= 3) {
                System.err.println("[bench] unexpected answer to " + kind + ": " + reply.status() + " "
                        + reply.excerpt());
            }
        }
    }

    private Phase() {
    }

    /**
     * Runs the phase and writes, under {@code kind.<kind>.*}, each kind's count, errors, rate and percentiles,
     * and under {@code cpu.<phase>.*}/{@code rss.<phase>.*} what the watched processes used.
     */
    static void run(String name, Window window, int clients, IntFunction<Client> clientFactory,
                    Map<String, Long> watched, long ticksPerSecond, Results results) throws InterruptedException {
        List<Recorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Client client = clientFactory.apply(i);
            Recorder recorder = new Recorder(window);
            recorders.add(recorder);
            Thread thread = new Thread(() -> {
                sleepUntil(window.loadStartNanos());
                while (!window.over()) {
                    client.step(recorder);
                }
            }, name + "-client-" + i);
            threads.add(thread);
        }
        System.err.printf("[bench] %s: %d clients, %.0f s warm-up, %.0f s measured%n", name, clients,
                (window.startNanos() - window.loadStartNanos()) / 1e9, window.seconds());
        threads.forEach(Thread::start);
        sleepUntil(window.startNanos());
        ProcessSampler sampler = new ProcessSampler(watched, ticksPerSecond).start();
        sleepUntil(window.endNanos());
        sampler.stop().writeTo(results, name);
        for (Thread thread : threads) {
            thread.join(35_000); // a request in flight ends within its 30 s timeout
        }

        Map<String, Latencies> byKind = new TreeMap<>();
        Map<String, Long> errors = new TreeMap<>();
        Map<String, Latencies> localWork = new TreeMap<>();
        for (Recorder r : recorders) {
            r.latencies.forEach((kind, l) -> byKind.computeIfAbsent(kind, k -> new Latencies()).addAll(l));
            r.errors.forEach((kind, n) -> errors.merge(kind, n, Long::sum));
            r.localWork.forEach((what, l) -> localWork.computeIfAbsent(what, k -> new Latencies()).addAll(l));
        }
        localWork.forEach((what, l) -> l.writeTo(results, "local." + what));
        Set<String> kinds = new TreeSet<>(byKind.keySet());
        kinds.addAll(errors.keySet());
        Latencies allKinds = new Latencies();
        long allErrors = 0;
        for (String kind : kinds) {
            Latencies l = byKind.getOrDefault(kind, new Latencies());
            long n = errors.getOrDefault(kind, 0L);
            writeKind(results, kind, l, n, window);
            allKinds.addAll(l);
            allErrors += n;
        }
        writeKind(results, name, allKinds, allErrors, window);
        results.put("phase." + name + ".kinds", String.join(",", kinds));
        results.put("phase." + name + ".clients", clients);
    }

    private static void writeKind(Results results, String kind, Latencies l, long errors, Window window) {
        l.writeTo(results, "kind." + kind);
        results.put("kind." + kind + ".errors", errors);
        results.put("kind." + kind + ".rate", l.count() / window.seconds());
    }

    static void sleepUntil(long nanos) {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
