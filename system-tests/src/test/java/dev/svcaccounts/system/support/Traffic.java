package dev.svcaccounts.system.support;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Clients sending requests in a loop while a test breaks the database, each answer recorded with the time it
 * took: for "every request was answered, quickly, with a success or a 503".
 */
public final class Traffic implements AutoCloseable {

    /**
     * One answer (status -1: no answer, the client gave up; -2: the client failed on what came back), with when
     * the request was sent.
     */
    public record Outcome(String request, int status, String problemCode, String retryAfter, boolean isProblem,
                          long sentAtNanos, Duration took, String body) {

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return request + " -> " + status + " in " + took.toMillis() + " ms"
                    + (status >= 400 ? ": " + body : "");
        }
    }

    private final List<Thread> clients = new ArrayList<>();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stop = new CountDownLatch(1);

    private Traffic() {
    }

    /**
     * Starts {@code count} clients; client {@code i} sends, over and over, the request that
     * {@code requests.apply(i)} makes each time.
     */
    public static Traffic start(int count, IntFunction<Supplier<Response>> requests) {
        Traffic traffic = new Traffic();
        for (int i = 0; i < count; i++) {
            Supplier<Response> request = requests.apply(i);
            Thread client = new Thread(() -> traffic.run(request), "traffic-" + i);
            client.setDaemon(true);
            traffic.clients.add(client);
            client.start();
        }
        return traffic;
    }

    private void run(Supplier<Response> request) {
        while (stop.getCount() > 0) {
            long sent = System.nanoTime();
            Outcome outcome;
            try {
                Response response = request.get();
                outcome = new Outcome(response.describe(), response.status(),
                        response.isProblem() ? response.problemCode() : null, response.header("Retry-After"),
                        response.isProblem(), sent, Duration.ofNanos(System.nanoTime() - sent),
                        response.status() >= 400 ? response.body() : "");
            } catch (UncheckedIOException e) {
                outcome = new Outcome(e.getMessage(), -1, null, null, false, sent,
                        Duration.ofNanos(System.nanoTime() - sent), String.valueOf(e.getCause()));
            } catch (RuntimeException | AssertionError e) {
                outcome = new Outcome("a request", -2, null, null, false, sent,
                        Duration.ofNanos(System.nanoTime() - sent), String.valueOf(e));
            }
            outcomes.add(outcome);
        }
    }

    /** Every answer so far. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** The answers to requests sent at or after {@code nanos} (a {@link System#nanoTime()}). */
    public List<Outcome> sentSince(long nanos) {
        return outcomes.stream().filter(o -> o.sentAtNanos() - nanos >= 0).toList();
    }

    /** The last {@code count} answers, one a line: for an assertion's message. */
    public String last(int count) {
        List<Outcome> all = outcomes();
        return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()).stream()
                .map(Outcome::toString).toList());
    }

    /** Stops the clients after their current request; waits for them at most {@code atMost}. */
    public void stop(Duration atMost) {
        stop.countDown();
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Thread client : clients) {
            try {
                client.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(40));
    }
}
