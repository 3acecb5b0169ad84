package dev.svcaccounts.system.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a run found, by kind of failure: a kind is the broken rule, the status and the mutations its smallest
 * request still needs (so one bug shows once, with every operation it hit), each with that request as a curl
 * command and what came back. Also what was covered: answers by status and by operation.
 */
public final class FuzzReport {

    /** One kind of failure: its smallest case, the case it was shrunk from, and everything else it covers. */
    static final class FailureClass {
        final Fuzzer.Outcome smallest;
        final Fuzzer.Outcome original;
        final Set<String> operations = new LinkedHashSet<>();
        int count;

        FailureClass(Fuzzer.Outcome smallest, Fuzzer.Outcome original) {
            this.smallest = smallest;
            this.original = original;
        }

        boolean document() {
            return smallest.failure().document();
        }

        /** The rule, the status and what came back (content type, problem code): one cause, whatever the trigger. */
        String group() {
            Exchange.Answer answer = smallest.answer();
            String status = answer.status() == 0 ? "no answer" : String.valueOf(answer.status());
            String type = answer.contentType() == null ? "no content type" : answer.contentType().split(";")[0];
            String code = answer.json() == null ? "" : answer.json().path("type").asText("");
            return smallest.failure().check() + " (" + status + ", " + type
                    + (code.isEmpty() ? "" : " " + code.replace(Checks.PROBLEM_TYPE_PREFIX, "")) + ")"
                    + (document() ? " [document]" : "");
        }
    }

    private final Fuzzer.Settings settings;
    private final ApiDocuments documents;
    private final Map<String, FailureClass> classes = new LinkedHashMap<>();
    /** Failures seen before, by rule, status, operation and mutation kinds: not shrunk again. */
    private final Map<String, String> alreadyShrunk = new TreeMap<>();
    private final Map<String, Integer> statuses = new TreeMap<>();
    private final Map<String, int[]> byOperation = new TreeMap<>();
    private final Map<String, int[]> byMutation = new TreeMap<>();
    private int cases;
    private boolean stoppedByTimeLimit;
    private Duration elapsed = Duration.ZERO;
    private int plantings;
    private int shrinkRequests;

    FuzzReport(Fuzzer.Settings settings, ApiDocuments documents) {
        this.settings = settings;
        this.documents = documents;
        documents.operations().forEach(o -> byOperation.put(label(o), new int[3]));
    }

    void count(Fuzzer.Outcome outcome) {
        cases++;
        int status = outcome.answer().status();
        statuses.merge(status == 0 ? "none" : String.valueOf(status), 1, Integer::sum);
        int[] counts = byOperation.get(label(outcome.fuzzCase().operation()));
        counts[0]++;
        if (status >= 200 && status < 300) {
            counts[1]++;
        }
        if (status == 429) {
            counts[2]++;
        }
        outcome.fuzzCase().mutations().stream().map(Mutation::kind).distinct().forEach(kind -> {
            int[] mutationCounts = byMutation.computeIfAbsent(kind, k -> new int[3]);
            mutationCounts[0]++;
            if (status >= 200 && status < 300) {
                mutationCounts[1]++;
            } else if (status >= 400 && status < 500) {
                mutationCounts[2]++;
            }
        });
    }

    void failed(Fuzzer.Outcome outcome, Shrinker shrinker) {
        String seen = outcome.failure().check() + "|" + outcome.answer().status() + "|"
                + label(outcome.fuzzCase().operation()) + "|" + outcome.fuzzCase().kinds();
        String key = alreadyShrunk.get(seen);
        if (key == null) {
            key = knownTrigger(outcome);
        }
        if (key == null) {
            Fuzzer.Outcome smallest = shrinker.shrink(outcome);
            key = outcome.failure().check() + "|" + smallest.answer().status() + "|" + smallest.fuzzCase().kinds()
                    + (smallest.fuzzCase().mutations().isEmpty() ? "|" + smallest.fuzzCase().operation().path() : "");
            classes.putIfAbsent(key, new FailureClass(smallest, outcome));
            alreadyShrunk.put(seen, key);
        }
        FailureClass failureClass = classes.get(key);
        failureClass.count++;
        failureClass.operations.add(label(outcome.fuzzCase().operation()));
    }

    /**
     * A kind already found whose smallest case needed only mutations this case has too (with the same rule and
     * status, and on the same path when it needed none): the same cause, not worth shrinking again.
     */
    private String knownTrigger(Fuzzer.Outcome outcome) {
        Set<String> kinds = outcome.fuzzCase().mutations().stream().map(Mutation::kind).collect(Collectors.toSet());
        for (Map.Entry<String, FailureClass> known : classes.entrySet()) {
            Fuzzer.Outcome smallest = known.getValue().smallest;
            boolean sameRule = smallest.failure().check().equals(outcome.failure().check())
                    && smallest.answer().status() == outcome.answer().status();
            List<String> needed = smallest.fuzzCase().mutations().stream().map(Mutation::kind).toList();
            boolean sameTrigger = needed.isEmpty()
                    ? smallest.fuzzCase().operation().path().equals(outcome.fuzzCase().operation().path())
                    : kinds.containsAll(needed);
            if (sameRule && sameTrigger) {
                return known.getKey();
            }
        }
        return null;
    }

    void stoppedByTimeLimit() {
        stoppedByTimeLimit = true;
    }

    void finish(Duration elapsed, int plantings, int shrinkRequests) {
        this.elapsed = elapsed;
        this.plantings = plantings;
        this.shrinkRequests = shrinkRequests;
    }

    /** The kinds of failure that fail the run: the product's rules, and the document's in strict mode. */
    public List<String> failing() {
        List<String> failing = new ArrayList<>();
        int number = 0;
        for (FailureClass c : classes.values()) {
            number++;
            if (!c.document() || settings.strictDocument()) {
                failing.add("[" + number + "] " + title(c));
            }
        }
        return failing;
    }

    public int cases() {
        return cases;
    }

    /** Share of answers that were 429 (throttled): a fuzzer that is mostly throttled exercises nothing. */
    /** Operations of the documents that no case reached (a time or try limit too low for their number). */
    public List<String> operationsWithoutCases() {
        return byOperation.entrySet().stream().filter(e -> e.getValue()[0] == 0).map(Map.Entry::getKey).toList();
    }

    public double throttledShare() {
        return cases == 0 ? 0 : statuses.getOrDefault("429", 0) / (double) cases;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("OpenApiFuzzIT: ").append(cases).append(" cases");
        out.append(stoppedByTimeLimit ? " (stopped by the time limit of " + settings.budget().toSeconds() + " s)" : "");
        out.append(", ").append(shrinkRequests).append(" more requests to shrink failures, in ")
                .append(elapsed.toSeconds()).append(" s; state planted ").append(plantings).append(" time(s)\n");
        out.append("seed ").append(settings.seed()).append(": ").append(settings.reproduce())
                .append(" reruns these cases; -Dfuzz.case=N only case N\n");
        out.append(documents.operations().size()).append(" operations from both OpenAPI documents; answers by status: ")
                .append(statuses).append('\n');
        out.append("cases per operation (all / 2xx / 429):\n");
        byOperation.forEach((operation, counts) -> out.append("  ").append(String.format("%5d %5d %5d  ", counts[0],
                counts[1], counts[2])).append(operation).append('\n'));
        out.append("cases per mutation (all / 2xx / 4xx):\n");
        byMutation.forEach((kind, counts) -> out.append("  ").append(String.format("%5d %5d %5d  ", counts[0],
                counts[1], counts[2])).append(kind).append('\n'));
        long documentOnly = classes.values().stream().filter(FailureClass::document).count();
        out.append('\n').append(classes.size()).append(" kind(s) of failure");
        if (documentOnly > 0) {
            out.append(", ").append(documentOnly).append(" of them only against the OpenAPI document")
                    .append(settings.strictDocument() ? "" : " (listed, not failing the run; -Dfuzz.document=strict)");
        }
        out.append(classes.isEmpty() ? ".\n" : ". Replay one against ./run.sh: OPERATOR=$(cat data/operator-token);"
                + " . system-tests/target/fuzz/seed.sh; then its curl command (COMMAND, QUERY: ports 8080, 8081)\n");
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<FailureClass> numbered = new ArrayList<>(classes.values());
        for (int i = 0; i < numbered.size(); i++) {
            groups.computeIfAbsent(numbered.get(i).group(), g -> new ArrayList<>()).add(i);
        }
        groups.forEach((group, members) -> {
            out.append("\n== ").append(group).append(": ").append(members.size()).append(" trigger(s)\n");
            for (int i : members) {
                render(i + 1, numbered.get(i), out);
            }
        });
        return out.toString();
    }

    private static void render(int number, FailureClass c, StringBuilder out) {
        FuzzCase smallest = c.smallest.fuzzCase();
        out.append("\n[").append(number).append("] ").append(title(c)).append('\n');
        out.append("    what: ").append(c.smallest.failure().message()).append('\n');
        out.append("    ").append(c.count).append(" case(s) on ").append(c.operations.size())
                .append(" operation(s): ").append(c.operations.stream().limit(6).collect(Collectors.joining(", ")))
                .append(c.operations.size() > 6 ? ", ..." : "").append('\n');
        out.append("    smallest: case ").append(smallest.index()).append(", ").append(smallest.describe())
                .append('\n');
        if (!c.original.fuzzCase().describe().equals(smallest.describe())) {
            out.append("    shrunk from: ").append(c.original.fuzzCase().describe()).append('\n');
        }
        out.append("    answer: ").append(c.smallest.answer().summary()).append('\n');
        out.append("    curl: ").append(Curl.command(c.smallest.wire())).append('\n');
    }

    private static String title(FailureClass c) {
        FuzzCase smallest = c.smallest.fuzzCase();
        String status = c.smallest.answer().status() == 0 ? "no answer" : String.valueOf(c.smallest.answer().status());
        return c.smallest.failure().check() + " (" + status + ") with " + smallest.kinds()
                + (smallest.mutations().isEmpty() ? " on " + smallest.operation().path() : "")
                + (c.document() ? " [document]" : "");
    }

    /** Writes the report and the replay script to {@code directory}. */
    public void write(Path directory, String seedScript) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("report.txt"), render());
            Files.writeString(directory.resolve("seed.sh"), seedScript);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String label(Operation operation) {
        return (operation.side() == Side.COMMAND ? "command " : "query ") + operation.label();
    }
}
