package dev.svcaccounts.system.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One generated request: a valid base request for an operation, sent as some principal, and the hostile changes
 * made to it. {@code index} is its number in the run: with the run's seed it regenerates the same case
 * ({@code -Dfuzz.seed=... -Dfuzz.case=index}).
 */
public record FuzzCase(int index, Draft base, List<Mutation> mutations) {

    public Operation operation() {
        return base.operation;
    }

    public String principal() {
        return base.principal;
    }

    /** The request: the base with every mutation applied, in order. */
    public Draft draft() {
        Draft draft = base.copy();
        mutations.forEach(m -> m.effect().accept(draft));
        return draft;
    }

    public FuzzCase withPrincipal(String principal) {
        Draft changed = base.copy();
        changed.principal = principal;
        return new FuzzCase(index, changed, mutations);
    }

    public FuzzCase without(int mutation) {
        List<Mutation> fewer = new ArrayList<>(mutations);
        fewer.remove(mutation);
        return new FuzzCase(index, base, List.copyOf(fewer));
    }

    public FuzzCase replacing(int mutation, Mutation simpler) {
        List<Mutation> changed = new ArrayList<>(mutations);
        changed.set(mutation, simpler);
        return new FuzzCase(index, base, List.copyOf(changed));
    }

    /** The kinds of its mutations, sorted: {@code body.invalid-unicode+header.accept}, or {@code (none)}. */
    public String kinds() {
        return mutations.isEmpty() ? "(none)"
                : mutations.stream().map(Mutation::kind).distinct().sorted().collect(Collectors.joining("+"));
    }

    public String describe() {
        return operation().label() + " as " + principal()
                + (mutations.isEmpty() ? "" : ", " + mutations.stream().map(Mutation::toString)
                .collect(Collectors.joining("; ")));
    }
}
