package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.svcaccounts.system.pointintime.AppliedEvents;
import dev.svcaccounts.system.pointintime.RandomHistory;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

import static dev.svcaccounts.system.support.Api.projectAccess;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ?at=} is answered by a fold of its own ({@code query/history/WorkspaceAt}), apart from the projections and
 * the access tables that give the live answers; this keeps the two equal. Many small random histories
 * ({@link RandomHistory}), several workspaces at a time: after each step, once the read models have applied the
 * workspace's every event, the live answer of each endpoint with an {@code ?at=} form for every id (accounts and
 * project keys that exist, existed, or never will) is kept with an instant T right after it (a moment). When the
 * history is over, so that later events exist too, each is asked again with {@code ?at=T} and must be the same.
 * A step that changed nothing (see {@link #UNCHANGED}) shares the moment before it.
 *
 * <p>The seed is printed; {@code -Dpit.seed=N} replays a run, {@code -Dpit.workspace=I} only its I-th history;
 * {@code -Dpit.workspaces}, {@code -Dpit.steps} (per history) and {@code -Dpit.threads} size it.
 */
class PointInTimeMatchesLiveIT {

    private static final long SEED = Long.getLong("pit.seed", new SecureRandom().nextLong());
    private static final int WORKSPACES = Integer.getInteger("pit.workspaces", 30);
    private static final int STEPS = Integer.getInteger("pit.steps", 100);
    /** Most of a step is waiting for the read models' next poll: every history at once keeps two cores busy. */
    private static final int THREADS = Integer.getInteger("pit.threads", 30);
    private static final Integer ONLY = Integer.getInteger("pit.workspace");
    /** The read models the live answers come from; the access tables they also read are written by the command. */
    private static final List<String> PROCESSORS = List.of("service-accounts", "members", "projects");

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("pit-matches-live");
    private static AppliedEvents applied;

    /** Where the time goes, in thread-nanoseconds, by {@link Phase}. */
    private static final AtomicLongArray NANOS = new AtomicLongArray(Phase.values().length);
    /**
     * Steps whose command appended no event (a refusal, or a change to what was already so) and after which no
     * token expired: they leave the state of the moment before, whose answers and whose fold at its T are those
     * this step would have (the same events, no expiry between), so they add no moment of their own.
     */
    private static final AtomicInteger UNCHANGED = new AtomicInteger();

    private enum Phase { COMMANDS, WAITING, LIVE_READS, AT_READS }

    /** What the live endpoints answered right before {@code at}, by path. */
    private record Moment(int step, Instant at, Map<String, Response> live) {
    }

    /** The first difference in one history. */
    private record Mismatch(RandomHistory history, Moment moment, String path, Response live, Response atT) {
    }

    /** What one history did and found; {@code mismatch} null when there was none. */
    private record Outcome(RandomHistory history, int compared, Mismatch mismatch) {
    }

    @BeforeAll
    static void connect() {
        applied = new AppliedEvents(system, PROCESSORS, Math.min(THREADS, 8));
    }

    @AfterAll
    static void disconnect() {
        applied.close();
    }

    @Test
    void atEveryStepOfRandomHistories_theAnswerAtTEqualsTheLiveAnswerThen() throws Exception {
        System.out.println("PointInTimeMatchesLiveIT: seed " + SEED + " (replay with -Dpit.seed=" + SEED + "), "
                + (ONLY == null ? WORKSPACES + " histories" : "history " + ONLY) + " of " + STEPS + " steps, "
                + THREADS + " at a time");
        long started = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            IntStream.range(0, WORKSPACES).filter(i -> ONLY == null || ONLY == i)
                    .forEach(i -> futures.add(threads.submit(() -> history(i))));
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
            report(outcomes, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            threads.shutdownNow();
        }
    }

    private static Outcome history(int index) {
        RandomHistory history = new RandomHistory(system.api(), "pit" + index, SEED + 0x9E3779B97F4A7C15L * index);
        List<Moment> moments = new ArrayList<>();
        long position = applied.await(history.ws(), 0);
        moments.add(capture(history, 0));
        for (int step = 1; step <= STEPS; step++) {
            long start = System.nanoTime();
            history.step();
            long sent = timed(Phase.COMMANDS, start);
            long before = position;
            position = applied.await(history.ws(), position);
            long caughtUp = timed(Phase.WAITING, sent);
            Moment previous = moments.get(moments.size() - 1);
            if (position != before || !noExpiryBetween(history, previous.at(), Instant.now())) {
                moments.add(capture(history, step));
            } else {
                UNCHANGED.incrementAndGet();
            }
            timed(Phase.LIVE_READS, caughtUp);
        }
        long start = System.nanoTime();
        try {
            return verify(history, moments);
        } finally {
            timed(Phase.AT_READS, start);
        }
    }

    /** Every moment asked for with {@code ?at=}; the first difference ends the history's check. */
    private static Outcome verify(RandomHistory history, List<Moment> moments) {
        int compared = 0;
        for (Moment moment : moments) {
            for (Map.Entry<String, Response> live : moment.live().entrySet()) {
                Response atT = system.api().query("GET", live.getKey()).token(history.rootToken())
                        .param("at", moment.at().toString()).send();
                compared++;
                if (!comparable(atT).equals(comparable(live.getValue()))) {
                    return new Outcome(history, compared,
                            new Mismatch(history, moment, live.getKey(), live.getValue(), atT));
                }
            }
        }
        return new Outcome(history, compared, null);
    }

    /**
     * The live answers of both endpoints for every id, read as root once the read models hold every event of the
     * workspace, and the instant T right after them. Read again if a token expired meanwhile: its status changes
     * by the clock alone, so the answers would then differ from T's by design.
     */
    private static Moment capture(RandomHistory history, int step) {
        while (true) {
            waitPastExpiriesAround(history.expiries(), Instant.now());
            Instant first = Instant.now();
            Map<String, Response> live = new LinkedHashMap<>();
            for (String id : history.accountIds()) {
                String path = serviceAccount(history.ws(), id);
                live.put(path, system.api().query("GET", path).token(history.rootToken()).send());
            }
            for (String key : RandomHistory.PROJECT_KEYS_READ) {
                String path = projectAccess(history.ws(), key);
                live.put(path, system.api().query("GET", path).token(history.rootToken()).send());
            }
            String policy = "/v1/workspaces/" + history.ws() + "/policies/tokens";
            live.put(policy, system.api().query("GET", policy).token(history.rootToken()).send());
            Instant at = instantApart();
            if (noExpiryBetween(history, first, at)) {
                live.values().forEach(response -> assertThat(response.status()).as("an admin's read: %s", response)
                        .isIn(200, 404));
                return new Moment(step, at, live);
            }
        }
    }

    /** Now, a millisecond from the events before and after: their times come from this JVM's clock too. */
    private static Instant instantApart() {
        sleep(1);
        Instant at = Instant.now();
        sleep(1);
        return at;
    }

    private static boolean noExpiryBetween(RandomHistory history, Instant from, Instant to) {
        return history.expiries().stream()
                .noneMatch(expiry -> !expiry.isBefore(from.minusMillis(1)) && !expiry.isAfter(to.plusMillis(1)));
    }

    private static void waitPastExpiriesAround(List<Instant> expiries, Instant now) {
        for (Instant expiry : expiries) {
            if (expiry.isAfter(now.minusMillis(5)) && expiry.isBefore(now.plusMillis(250))) {
                sleep(Duration.between(now, expiry).toMillis() + 5);
            }
        }
    }

    /**
     * The status and the whole body but the one field that differs between any two answers by design: the request
     * id of a problem document (each request has its own). Nothing else is left out: neither answer holds a last
     * use or any other time not taken from an event, and a token's status is kept clear of its expiry (capture).
     */
    private static JsonNode comparable(Response response) {
        JsonNode json = response.json().deepCopy();
        if (json instanceof ObjectNode object) {
            object.remove("requestId");
        }
        return Api.JSON.createObjectNode().put("status", response.status()).set("body", json);
    }

    // ------------------------------------------------------------------ the report

    private static void report(List<Outcome> outcomes, Duration took) {
        int steps = outcomes.stream().mapToInt(o -> o.history().attempts()).sum();
        int accepted = outcomes.stream().mapToInt(o -> o.history().accepted()).sum();
        int compared = outcomes.stream().mapToInt(Outcome::compared).sum();
        Map<String, Integer> answers = new TreeMap<>();
        outcomes.forEach(o -> o.history().answers()
                .forEach((answer, count) -> answers.merge(answer, count, Integer::sum)));
        System.out.printf("PointInTimeMatchesLiveIT: %d histories, %d steps (%d accepted, %d refused), %d left the "
                        + "state unchanged (no moment of their own), %d answers compared, in %d s (seed %d)%n",
                outcomes.size(), steps, accepted, steps - accepted, UNCHANGED.get(), compared, took.toSeconds(), SEED);
        System.out.printf("PointInTimeMatchesLiveIT: thread-seconds in commands %d, waiting for the read models %d, "
                + "live reads %d, ?at= reads %d%n", seconds(Phase.COMMANDS), seconds(Phase.WAITING),
                seconds(Phase.LIVE_READS), seconds(Phase.AT_READS));
        System.out.println("PointInTimeMatchesLiveIT: the commands' answers " + answers);

        List<Mismatch> mismatches = outcomes.stream().map(Outcome::mismatch).filter(Objects::nonNull).toList();
        StringBuilder failures = new StringBuilder();
        for (Mismatch mismatch : mismatches) {
            RandomHistory history = mismatch.history();
            failures.append("\n=== ").append(history.ws()).append(" after step ").append(mismatch.moment().step())
                    .append(" (T = ").append(mismatch.moment().at()).append("), GET ")
                    .append(history.alias(mismatch.path()))
                    .append("\nlive:   ").append(history.alias(comparable(mismatch.live()).toString()))
                    .append("\n?at=T:  ").append(history.alias(comparable(mismatch.atT()).toString()))
                    .append("\nthe commands up to that step:\n");
            List<String> log = history.log();
            for (int i = 0; i <= mismatch.moment().step() && i < log.size(); i++) {
                failures.append(String.format("  %3d  %s%n", i, log.get(i)));
            }
        }
        assertThat(mismatches.size()).as("histories where ?at= differs from the live answer (seed %d; one alone: "
                + "-Dpit.seed=%d -Dpit.workspace=N):%s", SEED, SEED, failures).isZero();
    }

    private static long timed(Phase phase, long since) {
        long now = System.nanoTime();
        NANOS.addAndGet(phase.ordinal(), now - since);
        return now;
    }

    private static long seconds(Phase phase) {
        return Duration.ofNanos(NANOS.get(phase.ordinal())).toSeconds();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
