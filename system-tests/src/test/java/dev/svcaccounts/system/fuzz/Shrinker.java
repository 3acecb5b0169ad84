package dev.svcaccounts.system.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Makes a failing case as small as it goes while it still fails the same way (same check, same status): the
 * admin instead of another principal, each mutation left out, each mutation made smaller (a shorter string).
 * Greedy, and bounded: at most {@value #BUDGET} requests per failure, and never past the run's time limit.
 */
final class Shrinker {

    static final int BUDGET = 40;

    private final Function<FuzzCase, Fuzzer.Outcome> run;
    private final BooleanSupplier outOfTime;
    private int requests;

    Shrinker(Function<FuzzCase, Fuzzer.Outcome> run, BooleanSupplier outOfTime) {
        this.run = run;
        this.outOfTime = outOfTime;
    }

    Fuzzer.Outcome shrink(Fuzzer.Outcome failing) {
        Fuzzer.Outcome best = failing;
        int budget = BUDGET;
        boolean improved = true;
        while (improved) {
            improved = false;
            for (FuzzCase candidate : candidates(best.fuzzCase())) {
                if (budget-- <= 0 || outOfTime.getAsBoolean()) {
                    return best;
                }
                requests++;
                Fuzzer.Outcome outcome = run.apply(candidate);
                if (sameFailure(outcome, failing)) {
                    best = outcome;
                    improved = true;
                    break;
                }
            }
        }
        return best;
    }

    /** Requests sent while shrinking, in all. */
    int requests() {
        return requests;
    }

    private static boolean sameFailure(Fuzzer.Outcome candidate, Fuzzer.Outcome failing) {
        return candidate.failure() != null && candidate.failure().check().equals(failing.failure().check())
                && candidate.answer().status() == failing.answer().status();
    }

    private static List<FuzzCase> candidates(FuzzCase fuzzCase) {
        List<FuzzCase> candidates = new ArrayList<>();
        if (!fuzzCase.principal().equals(FuzzSeed.ADMIN)) {
            candidates.add(fuzzCase.withPrincipal(FuzzSeed.ADMIN));
        }
        for (int i = 0; i < fuzzCase.mutations().size(); i++) {
            candidates.add(fuzzCase.without(i));
        }
        for (int i = 0; i < fuzzCase.mutations().size(); i++) {
            for (Mutation simpler : fuzzCase.mutations().get(i).simpler().get()) {
                candidates.add(fuzzCase.replacing(i, simpler));
            }
        }
        return candidates;
    }
}
