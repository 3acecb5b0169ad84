package dev.svcaccounts.system.fuzz;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Set;

/**
 * The run: plants the state, then sends case after case, one at a time, each checked against the state before
 * and after it ({@link Checks}); a failure is shrunk to the smallest request that still fails the same way, once
 * per kind of failure ({@link FuzzReport}). Sequential on purpose: "nothing changed" is exact only when nothing else
 * runs meanwhile.
 */
public final class Fuzzer {

    /**
     * How a run is set, from system properties: {@code fuzz.seed} (random when unset), {@code fuzz.tries} (cases,
     * default 3,000), {@code fuzz.seconds} (a time limit for the cases and their shrinking, default 150),
     * {@code fuzz.case} (only that case of the seed), {@code fuzz.document=strict} (document mismatches fail too).
     */
    public record Settings(long seed, int tries, Duration budget, Integer onlyCase, boolean strictDocument) {

        public static Settings fromSystemProperties() {
            String seed = System.getProperty("fuzz.seed");
            String onlyCase = System.getProperty("fuzz.case");
            return new Settings(seed == null || seed.isBlank() ? new java.security.SecureRandom().nextLong()
                    : Long.parseLong(seed.trim()),
                    Integer.parseInt(System.getProperty("fuzz.tries", "3000").trim()),
                    Duration.ofSeconds(Long.parseLong(System.getProperty("fuzz.seconds", "150").trim())),
                    onlyCase == null || onlyCase.isBlank() ? null : Integer.parseInt(onlyCase.trim()),
                    "strict".equals(System.getProperty("fuzz.document")));
        }

        public String reproduce() {
            return "-Dfuzz.seed=" + seed + (onlyCase == null ? " -Dfuzz.tries=" + tries : " -Dfuzz.case=" + onlyCase);
        }
    }

    /** One request sent and judged. */
    public record Outcome(FuzzCase fuzzCase, WireRequest wire, Exchange.Answer answer, Checks.Failure failure) {
    }

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Settings settings;
    private final ApiDocuments documents;
    private final FuzzSeed seed;
    private final Exchange exchange;
    private final JdbcTemplate jdbc;
    private final Runnable awaitReadModels;
    private StateFingerprint state;
    private long deadline;

    public Fuzzer(Settings settings, ApiDocuments documents, FuzzSeed seed, Exchange exchange, JdbcTemplate jdbc,
                  Runnable awaitReadModels) {
        this.settings = settings;
        this.documents = documents;
        this.seed = seed;
        this.exchange = exchange;
        this.jdbc = jdbc;
        this.awaitReadModels = awaitReadModels;
    }

    public FuzzReport run() {
        long started = System.nanoTime();
        deadline = started + settings.budget().toNanos();
        plant();
        CaseGenerator generator = new CaseGenerator(settings.seed(), documents);
        FuzzReport report = new FuzzReport(settings, documents);
        Shrinker shrinker = new Shrinker(this::execute, () -> System.nanoTime() > deadline);
        int first = settings.onlyCase() == null ? 0 : settings.onlyCase();
        int end = settings.onlyCase() == null ? settings.tries() : settings.onlyCase() + 1;
        for (int index = first; index < end; index++) {
            if (System.nanoTime() > deadline) {
                report.stoppedByTimeLimit();
                break;
            }
            Outcome outcome = execute(generator.generate(index));
            report.count(outcome);
            if (outcome.failure() != null) {
                report.failed(outcome, shrinker);
            }
        }
        report.finish(Duration.ofNanos(System.nanoTime() - started), seed.generation(), shrinker.requests());
        return report;
    }

    /** Sends the case, judges the answer against the state before and after, and plants afresh if needed. */
    Outcome execute(FuzzCase fuzzCase) {
        Draft draft = fuzzCase.draft();
        WireRequest wire = draft.toWire();
        java.util.Map<String, String> values = seed.valuesForNextSend();
        Exchange.Answer answer = exchange.send(wire, values);
        StateFingerprint after = StateFingerprint.take(jdbc);
        Checks.Failure failure = Checks.evaluate(fuzzCase, draft, wire, answer, state, after, values);
        state = after;
        boolean succeededWrite = answer.status() >= 200 && answer.status() < 300 && !READS.contains(wire.method());
        if (succeededWrite && !seed.intact(jdbc)) {
            plant();
        }
        return new Outcome(fuzzCase, wire, answer, failure);
    }

    private void plant() {
        seed.plant();
        awaitReadModels.run();
        state = StateFingerprint.take(jdbc);
    }
}
