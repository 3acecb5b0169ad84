package dev.svcaccounts.system.fuzz;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One hostile change to a request, such as a lone surrogate in a field or an encoded slash in an id.
 *
 * @param kind    the family and the change, e.g. {@code body.invalid-unicode}: failures are grouped by the kinds
 *                their shrunk requests still need
 * @param detail  what exactly, for a human
 * @param simpler smaller versions of the same change (a shorter long string), tried when shrinking
 */
public record Mutation(String kind, String detail, Consumer<Draft> effect, Supplier<List<Mutation>> simpler) {

    public static Mutation of(String kind, String detail, Consumer<Draft> effect) {
        return new Mutation(kind, detail, effect, List::of);
    }

    @Override
    public String toString() {
        return kind + " " + detail;
    }
}
