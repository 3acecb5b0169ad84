package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.svcaccounts.system.pointintime.RandomHistory;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static dev.svcaccounts.system.support.Api.projectAccess;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ?at=} is answered by a fold of its own ({@code query/history/WorkspaceAt}), apart from the projections and
 * the access tables that give the live answers. This keeps the two equal: many small random histories (see
 * {@link RandomHistory}), several workspaces at a time; after each step, once the read models have applied the
 * workspace's every event, the live answer of every endpoint with an {@code ?at=} form for every id (accounts and
 * project keys that exist, existed, or never will) is kept with an instant T right after it; when the history is
 * over, each is asked again with {@code ?at=T} and must be the same.
 *
 * <p>The seed is printed; {@code -Dpit.seed=N} replays a run, {@code -Dpit.workspace=I} only its I-th history.
 * {@code -Dpit.workspaces}, {@code -Dpit.steps} (per history) and {@code -Dpit.threads} size it.
 */
class PointInTimeMatchesLiveIT {

    private static final long SEED = Long.getLong("pit.seed", new SecureRandom().nextLong());
    private static final int WORKSPACES = Integer.getInteger("pit.workspaces", 30);
    private static final int STEPS = Integer.getInteger("pit.steps", 100);
    private static final int THREADS = Integer.getInteger("pit.threads", 15);
    private static final Integer ONLY = Integer.getInteger("pit.workspace");
    /** The read models the two endpoints' live answers come from (the access tables are written by the command). */
    private static final List<String> PROCESSORS = List.of("service-accounts", "members", "projects");

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("pit-matches-live");
    private static HikariDataSource database;
    /** Moments whose live answers were those of the moment before (see {@link #unchangedSince}). */
    private static final java.util.concurrent.atomic.AtomicInteger REUSED = new java.util.concurrent.atomic.AtomicInteger();
    /** Where the time goes, summed over all threads: commands, waiting for the read models, live reads, ?at= reads. */
    private static final java.util.concurrent.atomic.AtomicLongArray NANOS = new java.util.concurrent.atomic.AtomicLongArray(4);

    /** What the live endpoints answered right before {@code at}, by path. */
    private record Moment(int step, Instant at, Map<String, Response> live) {
    }

    /** The first difference in one history. */
    private record Mismatch(RandomHistory history, Moment moment, String path, Response live, Response atT) {
    }

    /** What one history did and found. */
    private record Outcome(int steps, int accepted, Map<String, Integer> answers, int answersCompared, Mismatch mismatch) {
    }

    @BeforeAll
    static void connect() {
        database = new HikariDataSource();
        database.setJdbcUrl(system.database().url());
        database.setUsername(system.database().user());
        database.setPassword(system.database().password());
        database.setMaximumPoolSize(THREADS);
    }

    @AfterAll
    static void disconnect() {
        database.close();
    }

    @Test
    void atEveryStepOfRandomHistories_theAnswerAtTEqualsTheLiveAnswerThen() throws Exception {
        System.out.println("PointInTimeMatchesLiveIT: seed " + SEED + " (replay with -Dpit.seed=" + SEED + "), "
                + WORKSPACES + " histories of " + STEPS + " steps, " + THREADS + " at a time");
        long started = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<Outcome>> futures = new ArrayList<>();
        try {
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
        long applied = awaitApplied(history.ws(), 0);
        moments.add(capture(history, 0));
        for (int step = 1; step <= STEPS; step++) {
            long t0 = System.nanoTime();
            history.step();
            long t1 = System.nanoTime();
            long before = applied;
            applied = awaitApplied(history.ws(), applied);
            long t2 = System.nanoTime();
            Moment previous = moments.get(moments.size() - 1);
            moments.add(applied == before ? unchangedSince(previous, history, step) : capture(history, step));
            NANOS.addAndGet(0, t1 - t0);
            NANOS.addAndGet(1, t2 - t1);
            NANOS.addAndGet(2, System.nanoTime() - t2);
        }
        long t3 = System.nanoTime();
        try {
            return verify(history, moments);
        } finally {
            NANOS.addAndGet(3, System.nanoTime() - t3);
        }
    }

    private static Outcome verify(RandomHistory history, List<Moment> moments) {
        int compared = 0;
        for (Moment moment : moments) {
            for (Map.Entry<String, Response> live : moment.live().entrySet()) {
                Response atT = system.api().query("GET", live.getKey()).token(history.rootToken())
                        .param("at", moment.at().toString()).send();
                compared++;
                if (!comparable(atT).equals(comparable(live.getValue()))) {
                    return new Outcome(STEPS, history.accepted(), history.answers(), compared,
                            new Mismatch(history, moment, live.getKey(), live.getValue(), atT));
                }
            }
        }
        return new Outcome(STEPS, history.accepted(), history.answers(), compared, null);
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
            List<String> keys = new ArrayList<>(RandomHistory.PROJECT_KEYS);
            keys.add(RandomHistory.NEVER_A_PROJECT);
            for (String key : keys) {
                String path = projectAccess(history.ws(), key);
                live.put(path, system.api().query("GET", path).token(history.rootToken()).send());
            }
            // event times are those of this JVM's clock: a millisecond on either side keeps T apart from them
            sleep(1);
            Instant at = Instant.now();
            sleep(1);
            boolean expiredMeanwhile = history.expiries().stream()
                    .anyMatch(expiry -> !expiry.isBefore(first.minusMillis(1)) && !expiry.isAfter(at.plusMillis(1)));
            if (!expiredMeanwhile) {
                live.values().forEach(PointInTimeMatchesLiveIT::expectAnAnswer);
                return new Moment(step, at, live);
            }
        }
    }

    /**
     * After a refused command, which appended no event: the read models and the access tables hold what they held,
     * so the live answers are those of the previous moment, unless a token expired since (then they are read
     * again). T is taken anew: the fold is asked for this moment too.
     */
    private static Moment unchangedSince(Moment previous, RandomHistory history, int step) {
        sleep(1);
        Instant at = Instant.now();
        sleep(1);
        boolean expiredSince = history.expiries().stream()
                .anyMatch(expiry -> !expiry.isBefore(previous.at()) && !expiry.isAfter(at.plusMillis(1)));
        if (expiredSince) {
            return capture(history, step);
        }
        REUSED.incrementAndGet();
        return new Moment(step, at, previous.live());
    }

    /** Only the answers either endpoint gives an admin: 200, or 404 for what does not exist (then). */
    private static void expectAnAnswer(Response response) {
        assertThat(response.status()).as(response.toString()).isIn(200, 404);
    }

    private static void waitPastExpiriesAround(List<Instant> expiries, Instant now) {
        for (Instant expiry : expiries) {
            if (expiry.isAfter(now.minusMillis(5)) && expiry.isBefore(now.plusMillis(250))) {
                sleep(Duration.between(now, expiry).toMillis() + 5);
            }
        }
    }

    /**
     * The whole answer but what differs between any two answers by design: the request id a problem document
     * carries. A 404 is compared by its status and problem type: the two endpoints word the detail of one
     * differently (the live one cannot tell "never existed" from "not yet").
     */
    private static JsonNode comparable(Response response) {
        JsonNode json = response.json().deepCopy();
        if (json instanceof ObjectNode object) {
            object.remove("requestId");
            if (response.status() >= 400) {
                object.retain("status", "type");
            }
        }
        return Api.JSON.createObjectNode().put("status", response.status()).set("body", json);
    }

    // ------------------------------------------------------------------ waiting for the read models

    /**
     * Until every segment of each processor the answers come from has handled each event of {@code ws} beyond
     * global index {@code after}, and returns the last one. Positions alone do not say it: with other workspaces
     * writing at the same time, an event committed late is a gap below a segment's position for a moment.
     */
    private static long awaitApplied(String ws, long after) {
        List<Long> indexes = new JdbcTemplate(database).queryForList("SELECT global_index FROM "
                + "command_side.domain_event_entry WHERE aggregate_identifier = ? AND global_index > ? "
                + "ORDER BY global_index", Long.class, ws, after);
        if (indexes.isEmpty()) {
            return after;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!PROCESSORS.stream().allMatch(name -> handled(system.queryProcessor(name), indexes))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the read models did not apply events " + indexes + " of " + ws + " in 30 s");
            }
            sleep(5);
        }
        return indexes.get(indexes.size() - 1);
    }

    private static boolean handled(StreamingEventProcessor processor, List<Long> indexes) {
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        double covered = segments.stream().mapToDouble(s -> 1.0 / (s.getSegment().getMask() + 1)).sum();
        return Math.abs(covered - 1.0) < 1e-9 && segments.stream().allMatch(segment -> !segment.isErrorState()
                && indexes.stream().allMatch(index -> handled(segment.getTrackingToken(), index)));
    }

    private static boolean handled(TrackingToken token, long index) {
        TrackingToken position = WrappedToken.unwrapLowerBound(token);
        if (position instanceof GapAwareTrackingToken gapAware) {
            return gapAware.getIndex() >= index && !gapAware.getGaps().contains(index);
        }
        return position != null && position.position().orElse(-1) >= index;
    }

    // ------------------------------------------------------------------ the report

    private static void report(List<Outcome> outcomes, Duration took) {
        int steps = outcomes.stream().mapToInt(Outcome::steps).sum();
        int accepted = outcomes.stream().mapToInt(Outcome::accepted).sum();
        int compared = outcomes.stream().mapToInt(Outcome::answersCompared).sum();
        System.out.printf("PointInTimeMatchesLiveIT: %d histories, %d steps (%d accepted, %d refused), %d answers "
                        + "compared, in %d s (seed %d)%n", outcomes.size(), steps, accepted, steps - accepted, compared,
                took.toSeconds(), SEED);
        System.out.println("PointInTimeMatchesLiveIT: " + REUSED.get() + " moments after a refusal kept the live "
                + "answers of the moment before");
        System.out.printf("PointInTimeMatchesLiveIT: thread-seconds in commands %d, waiting %d, live reads %d, ?at= %d%n",
                NANOS.get(0) / 1_000_000_000, NANOS.get(1) / 1_000_000_000, NANOS.get(2) / 1_000_000_000,
                NANOS.get(3) / 1_000_000_000);
        Map<String, Integer> answers = new java.util.TreeMap<>();
        outcomes.forEach(outcome -> outcome.answers().forEach((answer, count) -> answers.merge(answer, count, Integer::sum)));
        System.out.println("PointInTimeMatchesLiveIT: the commands' answers " + answers);
        List<Mismatch> mismatches = outcomes.stream().map(Outcome::mismatch).filter(m -> m != null).toList();
        StringBuilder failures = new StringBuilder();
        for (Mismatch mismatch : mismatches) {
            RandomHistory history = mismatch.history();
            failures.append("\n=== ").append(history.ws()).append(": at step ").append(mismatch.moment().step())
                    .append(" (T = ").append(mismatch.moment().at()).append("), GET ")
                    .append(history.alias(mismatch.path())).append("\nlive:    ")
                    .append(history.alias(comparable(mismatch.live()).toString())).append("\n?at=T:   ")
                    .append(history.alias(comparable(mismatch.atT()).toString())).append("\nhistory up to that step:\n");
            List<String> log = history.log();
            for (int i = 0; i <= mismatch.moment().step() && i < log.size(); i++) {
                failures.append(String.format("  %3d  %s%n", i, log.get(i)));
            }
        }
        assertThat(mismatches).as("histories where ?at= differs from the live answer (seed " + SEED + ", replay one "
                + "with -Dpit.seed=" + SEED + " -Dpit.workspace=N):" + failures).isEmpty();
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
