package dev.svcaccounts.system.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Odd headers: X-Audit-Reason, X-Request-Id and Idempotency-Key that are long, empty, repeated or not UTF-8;
 * mangled and oversized Authorization; Content-Type and Accept that do not fit; oversized and numerous headers;
 * forwarded-for chains; and another HTTP method than the operation's.
 *
 * <p>Header values are bytes 0x09 and 0x20-0xFF (Java's HTTP client sends nothing else); a character 0x80-0xFF
 * stands for that byte, so {@code "\u00E9"} is Latin-1 "é", invalid UTF-8.
 */
final class HeaderMutations {

    /** Header values: long, blank, Latin-1 (not UTF-8), UTF-8 bytes of a bidi override, markup, a tab. */
    private static final List<String> ODD_VALUES = List.of("", " ", "\t", "caf\u00E9", "\u00FF\u00FE",
            utf8AsBytes("\u202Egnp.exe"), utf8AsBytes("\uD83E\uDD84"), "<script>alert(1)</script>", "a\tb",
            "../../etc/passwd", "%00", "fuzz-fixed-value");

    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x", "",
            "garbage", "application/json; charset=ISO-8859-1", "application/json; charset=UTF-16",
            "application/json; charset=nonsense", "application/merge-patch+json", "application/problem+json",
            "application/json, text/plain", "APPLICATION/JSON");

    private static final List<String> ACCEPTS = List.of("text/csv", "application/xml", "text/html", "*/*;q=0",
            "garbage", "application/problem+json", "image/png", "application/json;q=0, */*;q=0");

    private HeaderMutations() {
    }

    static Mutation any(Operation operation, Random random) {
        // Accept twice as often as the others: a write whose answer cannot be rendered may already be committed
        switch (random.nextInt(12)) {
            case 0:
                return namedHeader("header.audit-reason", "X-Audit-Reason", random, 501);
            case 1:
                return namedHeader("header.request-id", "X-Request-Id", random, 129);
            case 2:
                return namedHeader("header.idempotency-key", "Idempotency-Key", random, 256);
            case 3:
                return authorization(random);
            case 4: {
                String type = Hostile.pick(random, CONTENT_TYPES);
                return Mutation.of("header.content-type", Curl.visible(type), d -> {
                    if (d.body == null) {
                        d.body = new Body(false, List.of(), "{}".getBytes(StandardCharsets.US_ASCII));
                    }
                    d.contentType = type;
                });
            }
            case 5:
            case 11: {
                String accept = Hostile.pick(random, ACCEPTS);
                return Mutation.of("header.accept", accept, d -> d.header("Accept", accept));
            }
            case 6:
                return oversized(Hostile.any(random, List.of(9_000, 20_000, 70_000)));
            case 7: {
                int count = Hostile.any(random, List.of(100, 1_000));
                return Mutation.of("header.many", count + " headers", d -> {
                    for (int i = 0; i < count; i++) {
                        d.header("X-Fuzz-" + i, "x");
                    }
                });
            }
            case 8: {
                String chain = Hostile.pick(random, List.of("6.6.6.6, 10.0.0.9", "garbage", "::1%eth0",
                        "999.999.999.999", "127.0.0.1, 127.0.0.1, 127.0.0.1", "unknown", "a".repeat(2_000)));
                return Mutation.of("header.forwarded-for", Curl.visible(chain), d -> {
                    d.header("X-Forwarded-For", chain);
                    d.header("X-Forwarded-Proto", "javascript");
                    d.header("X-Forwarded-Host", "evil.example");
                });
            }
            case 9: {
                String agent = Hostile.pick(random, List.of("a".repeat(5_000), "caf\u00E9", "", "\t"));
                return Mutation.of("header.user-agent", Curl.visible(agent), d -> d.header("User-Agent", agent));
            }
            default:
                return wrongMethod(operation, random);
        }
    }

    /** One of the API's own headers: too long by one, much too long, odd, repeated with two values. */
    private static Mutation namedHeader(String kind, String name, Random random, int tooLong) {
        return switch (random.nextInt(4)) {
            case 0 -> longHeader(kind, name, Hostile.any(random, List.of(tooLong, 5_000, 10_000)), tooLong);
            case 1 -> Mutation.of(kind, "twice", d -> {
                d.header(name, "first-" + Hostile.randomName(random, 4));
                d.header(name, "second");
            });
            default -> {
                String value = Hostile.pick(random, ODD_VALUES);
                yield Mutation.of(kind, Curl.visible(value), d -> d.header(name, value));
            }
        };
    }

    private static Mutation longHeader(String kind, String name, int count, int floor) {
        return new Mutation(kind, name + ": a×" + count, d -> d.header(name, "a".repeat(count)),
                () -> count / 2 >= floor ? List.of(longHeader(kind, name, count / 2, floor)) : List.of());
    }

    private static Mutation oversized(int count) {
        return new Mutation("header.oversized", "X-Fuzz-Padding: a×" + count,
                d -> d.header("X-Fuzz-Padding", "a".repeat(count)),
                () -> count > 9_000 ? List.of(oversized(Math.max(9_000, count / 2))) : List.of());
    }

    /**
     * A mangled Authorization header. Variants that no longer carry exactly one issued token make the request
     * unauthenticated ({@link FuzzSeed#UNKNOWN}): a 2xx would then be an authentication bypass.
     */
    private static Mutation authorization(Random random) {
        int variant = random.nextInt(9);
        return switch (variant) {
            case 0 -> mangled("bearer of 9,000 characters", "Bearer " + "a".repeat(9_000));
            case 1 -> mangled("scheme only", "Bearer");
            case 2 -> mangled("Basic credentials", "Basic dXNlcjpwYXNzd29yZA==");
            case 3 -> mangledOf("token with one more character", p -> "Bearer " + FuzzSeed.ref(p) + "x");
            case 4 -> mangledOf("token and more words", p -> "Bearer " + FuzzSeed.ref(p) + " extra");
            case 5 -> mangledOf("token without scheme", FuzzSeed::ref);
            case 6 -> Mutation.of("header.authorization", "lower-case scheme (allowed: schemes are case-insensitive)",
                    d -> d.authorization = d.principal.equals(FuzzSeed.NONE) ? null
                            : "bearer " + FuzzSeed.ref(d.principal));
            case 7 -> mangled("Latin-1 bytes", "Bearer caf\u00E9");
            default -> mangledOf("token in a second Authorization header", p -> null);
        };
    }

    private static Mutation mangled(String detail, String value) {
        return Mutation.of("header.authorization", detail, d -> {
            d.authorization = value;
            d.principal = FuzzSeed.UNKNOWN;
        });
    }

    /** Mangles the request's own token (or the admin's when it has none). */
    private static Mutation mangledOf(String detail, java.util.function.Function<String, String> mangle) {
        return Mutation.of("header.authorization", detail, d -> {
            String principal = d.principal.equals(FuzzSeed.NONE) || d.principal.equals(FuzzSeed.UNKNOWN)
                    ? FuzzSeed.ADMIN : d.principal;
            String value = mangle.apply(principal);
            if (value == null) {
                d.header("Authorization", "Bearer " + FuzzSeed.ref(FuzzSeed.UNKNOWN));
                return;
            }
            d.authorization = value;
            d.principal = FuzzSeed.UNKNOWN;
        });
    }

    /** Another method on the operation's path: 405 or another operation, never a 5xx. */
    private static Mutation wrongMethod(Operation operation, Random random) {
        List<String> methods = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "OPTIONS");
        String method = Hostile.pick(random, methods.stream().filter(m -> !m.equals(operation.method())).toList());
        return Mutation.of("method.other", method, d -> d.method = method);
    }

    /** The UTF-8 bytes of {@code text}, one char 0-255 per byte. */
    private static String utf8AsBytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
