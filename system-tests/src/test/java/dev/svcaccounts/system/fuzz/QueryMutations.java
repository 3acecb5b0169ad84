package dev.svcaccounts.system.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Hostile query strings: wrong types and boundary numbers, odd instants and enum values, invalid UTF-8, NUL and
 * wildcard characters, repeated, empty, unknown and missing parameters, and a token in the URL of introspection.
 */
final class QueryMutations {

    private static final List<String> INSTANT_NAMES = List.of("from", "to", "at");

    private QueryMutations() {
    }

    static Mutation any(Operation operation, Random random) {
        if (operation.path().equals("/v1/introspect") && random.nextBoolean()) {
            return tokenInUrl(random);
        }
        if (operation.queryParameters().isEmpty() || random.nextInt(6) == 0) {
            return unknown(random);
        }
        Operation.Parameter parameter = Hostile.any(random, operation.queryParameters());
        String name = parameter.name();
        String type = ApiDocuments.type(parameter.schema());
        if ("integer".equals(type) || "boolean".equals(type)) {
            return random.nextBoolean()
                    ? set("query.not-a-number", name, encode(Hostile.pick(random, Hostile.NOT_INTEGERS)))
                    : set("query.boundary-number", name, Hostile.pick(random, Hostile.BOUNDARY_NUMBERS));
        }
        switch (random.nextInt(7)) {
            case 0:
                if (INSTANT_NAMES.contains(name)) {
                    return set("query.odd-instant", name, encode(Hostile.pick(random, Hostile.ODD_INSTANTS)));
                }
                return set("query.odd-value", name, encode(Hostile.pick(random,
                        List.of("CSV", "csv ", "xml", "Active", "active,deleted", "-1", "999999999999999999999"))));
            case 1:
                return set("query.control-character", name, Hostile.pick(random,
                        List.of("%00", "a%00b", "%0A", "%1B%5B31m", "%7F", "%C2%85", "%E2%80%AE")));
            case 2:
                return set("query.invalid-utf8", name, Hostile.pick(random,
                        List.of("%FF", "%C0%AF", "%ED%A0%80", "%E2%82", "%", "%zz")));
            case 3:
                return set("query.wildcard", name, encode(Hostile.pick(random, Hostile.LIKE_WILDCARDS)));
            case 4:
                return Mutation.of("query.repeated", name, d -> {
                    d.query.add(new String[]{name, "1"});
                    d.query.add(new String[]{name, "2"});
                });
            case 5:
                return longValue(name, Hostile.any(random, List.of(1_000, 10_000, 100_000)));
            default:
                return Mutation.of("query.missing", name, d -> {
                    d.query.removeIf(q -> q[0].equals(name));
                    if (parameter.required()) {
                        d.documentSaysInvalid.add("query parameter " + name + " is required");
                    }
                });
        }
    }

    private static Mutation unknown(Random random) {
        String pair = Hostile.pick(random, List.of("x=1", "limit[]=1", "%00=1", "=1", "&&", "a", "a=1&a=2",
                "q=%FF", "debug=true", "format=csv", "__proto__[x]=1"));
        return Mutation.of("query.unknown-parameter", pair, d -> d.query.add(new String[]{pair, null}));
    }

    /** The introspected token in the URL instead of the form, under names that decode to "token" or nearly. */
    private static Mutation tokenInUrl(Random random) {
        String name = Hostile.pick(random, List.of("token", "%74oken", "tok%65n", "TOKEN", "token%00", "token "));
        boolean decodesToToken = List.of("token", "%74oken", "tok%65n").contains(name);
        return Mutation.of("query.token-in-url", name, d -> {
            d.query.add(new String[]{name.replace(" ", "%20"), FuzzSeed.ref(FuzzSeed.UNKNOWN)});
            if (decodesToToken) {
                d.mustRefuse.add("a token in the URL ends up in access logs");
            }
        });
    }

    private static Mutation set(String kind, String name, String raw) {
        return Mutation.of(kind, name + "=" + raw, d -> d.setQuery(name, raw));
    }

    private static Mutation longValue(String name, int count) {
        return new Mutation("query.long-value", name + "=a×" + count, d -> d.setQuery(name, "a".repeat(count)),
                () -> count > 100 ? List.of(longValue(name, count / 10)) : List.of());
    }

    private static String encode(String text) {
        return Value.percentEncode(text.getBytes(StandardCharsets.UTF_8));
    }
}
