package dev.svcaccounts.system.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Hostile paths: unknown ids, another workspace's ids, encoded slashes and control characters, invalid percent
 * escapes and UTF-8, dot segments, matrix parameters, very long and empty segments.
 */
final class PathMutations {

    /** What another workspace calls the thing a parameter names. */
    private static final java.util.Map<String, String> OTHER = java.util.Map.of("WS", "OTHER_WS", "SA", "OTHER_SA",
            "USER", "OTHER_USER", "PROJECT", "OTHER_PROJECT", "TOKEN", "OTHER_TOKEN", "USER_TOKEN", "OTHER_TOKEN");

    private PathMutations() {
    }

    static Mutation any(Operation operation, Random random) {
        if (operation.pathParameters().isEmpty() || random.nextInt(10) == 0) {
            return structural(random);
        }
        String parameter = Hostile.any(random, operation.pathParameters()).name();
        switch (random.nextInt(11)) {
            case 0: {
                String unknown = parameter.equals("id") || parameter.equals("saId") || parameter.equals("tokenId")
                        ? Hostile.randomUuid(random) : "fz" + Hostile.randomName(random, 8);
                return replace("path.unknown-id", parameter, unknown);
            }
            case 1:
                return Mutation.of("path.other-workspace", parameter + " of the other workspace", d -> {
                    String current = d.segment(parameter);
                    java.util.regex.Matcher ref = WireRequest.REF.matcher(current);
                    if (ref.matches() && OTHER.containsKey(ref.group(1))) {
                        d.setSegment(parameter, FuzzSeed.ref(OTHER.get(ref.group(1))));
                    }
                });
            case 2:
                return append("path.encoded-slash", parameter,
                        Hostile.pick(random, List.of("%2Fx", "%2F..%2F..%2Fx", "%2f", "%5C..%5Cx")));
            case 3:
                return append("path.matrix-parameter", parameter,
                        Hostile.pick(random, List.of(";x=1", ";jsessionid=abc", ";", ";a=b;c=d", "%3Bx=1")));
            case 4:
                return longSegment(parameter, Hostile.pick(random, List.of("a", "%C3%A9", "-")),
                        Hostile.any(random, List.of(300, 4_000, 9_000, 70_000)));
            case 5:
                return append("path.encoded-control", parameter,
                        Hostile.pick(random, List.of("%00", "%0A", "%0D%0A", "%1B", "%7F", "%C2%85", "%09")));
            case 6:
                return append("path.invalid-percent", parameter,
                        Hostile.pick(random, List.of("%", "%zz", "%G0", "%FF", "%C0%AF", "%ED%A0%80", "%E2%82")));
            case 7: {
                String text = Hostile.pick(random, Hostile.EXOTIC.subList(0, 10));
                return replace("path.unicode", parameter, Value.percentEncode(text.getBytes(StandardCharsets.UTF_8)));
            }
            case 8:
                return replace("path.format-character", parameter, Value.percentEncode(
                        Hostile.pick(random, Hostile.FORMAT).getBytes(StandardCharsets.UTF_8)));
            case 9:
                return replace("path.empty-segment", parameter, Hostile.pick(random, List.of("", "%20", "%09", "+")));
            default:
                return Mutation.of("path.dot-segment", "before " + parameter, d -> {
                    int at = d.segmentOf(parameter);
                    String dots = Hostile.pick(random, List.of("..", ".", "%2e%2e", ".%2E", "%2e"));
                    d.segments.add(at, new Draft.Segment(null, dots));
                });
        }
    }

    /** Changes that need no parameter: a trailing slash, a doubled slash, a dot segment, a matrix parameter. */
    private static Mutation structural(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Mutation.of("path.trailing-slash", "", d -> d.segments.add(new Draft.Segment(null, "")));
            case 1 -> Mutation.of("path.double-slash", "", d -> d.segments.add(1, new Draft.Segment(null, "")));
            case 2 -> Mutation.of("path.dot-segment", "/v1/../v1", d -> {
                d.segments.add(1, new Draft.Segment(null, ".."));
                d.segments.add(2, new Draft.Segment(null, "v1"));
            });
            default -> Mutation.of("path.matrix-parameter", "on the last segment", d -> {
                Draft.Segment last = d.segments.get(d.segments.size() - 1);
                d.segments.set(d.segments.size() - 1, new Draft.Segment(last.parameter(), last.raw() + ";x=1"));
            });
        };
    }

    private static Mutation replace(String kind, String parameter, String raw) {
        return Mutation.of(kind, parameter + " = " + raw, d -> d.setSegment(parameter, raw));
    }

    private static Mutation append(String kind, String parameter, String suffix) {
        return Mutation.of(kind, parameter + " + " + suffix,
                d -> d.setSegment(parameter, d.segment(parameter) + suffix));
    }

    private static Mutation longSegment(String parameter, String unit, int count) {
        return new Mutation("path.long-segment", parameter + " = " + unit + "×" + count,
                d -> d.setSegment(parameter, unit.repeat(count)),
                () -> count > 64 ? List.of(longSegment(parameter, unit, count / 4)) : List.of());
    }
}
