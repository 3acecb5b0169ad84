package dev.svcaccounts.system.fuzz;

import io.swagger.v3.oas.models.media.Schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile bodies: wrong types, invalid Unicode and UTF-8, control and invisible characters, long text, missing,
 * null, extra and duplicate fields, bare numbers for instants, documents that are no object or no JSON, and
 * bodies where none is expected.
 */
final class BodyMutations {

    private static final List<String> EXTRA_NAMES = List.of("__proto__", "constructor", "", "expires_at", "NAME",
            "name ", "admin", "role", "status", "secret", "workspace", "createdBy", "id");

    private BodyMutations() {
    }

    static Mutation any(Operation operation, Random random, List<String> dictionary) {
        if (operation.body() == null) {
            return unexpectedBody(random);
        }
        Schema<?> object = operation.body().schema();
        List<String> fields = new ArrayList<>(Examples.properties(object).keySet());
        if (fields.isEmpty() || random.nextInt(8) == 0) {
            return wholeBody(operation, random);
        }
        List<String> instants = fields.stream().filter(f -> Examples.isDateTime(Examples.properties(object).get(f)))
                .toList();
        if (!instants.isEmpty() && random.nextInt(4) == 0) {
            String field = Hostile.any(random, instants);
            return instant(field, Examples.properties(object).get(field), random);
        }
        String field = Hostile.any(random, fields);
        Schema<?> schema = Examples.properties(object).get(field);
        switch (random.nextInt(14)) {
            case 0:
                return wrongType(field, Hostile.pick(random, Hostile.NOT_STRINGS), schema);
            case 1: {
                // a number new at every send: the same case sent again (shrinking) is no duplicate name
                String text = Hostile.pick(random, Hostile.INVALID_UNICODE) + FuzzSeed.ref(FuzzSeed.UNIQUE);
                return Mutation.of("body.invalid-unicode", field + " = " + Value.text(text).describe(),
                        d -> set(d, field, Value.text(text), "a lone surrogate is no Unicode text"));
            }
            case 2: {
                byte[] bad = Hostile.any(random, Hostile.INVALID_UTF8);
                byte[] inside = concat("ab".getBytes(StandardCharsets.US_ASCII), bad);
                return Mutation.of("body.invalid-utf8", field + " = " + Value.bytes(inside).describe(),
                        d -> set(d, field, Value.bytes(inside), "the body is not UTF-8"));
            }
            case 3:
                return text("body.control-character", field, Hostile.pick(random, Hostile.CONTROL));
            case 4:
                return text("body.format-character", field, Hostile.pick(random, Hostile.FORMAT));
            case 5:
                return longText(field, schema, Hostile.pick(random, List.of("a", "\u00E9", "\uD83E\uDD84", " ")),
                        Hostile.any(random, List.of(257, 1_001, 10_000, 100_000)));
            case 6:
                return text("body.exotic-text", field, Hostile.pick(random, Hostile.EXOTIC));
            case 7:
                return text("body.whitespace", field, Hostile.pick(random, Hostile.WHITESPACE));
            case 8:
                return Mutation.of("body.missing-field", field, d -> {
                    ensureBody(d);
                    d.body.remove(field);
                });
            case 9:
                return Mutation.of("body.null-field", field, d -> set(d, field, Value.json("null"), null));
            case 10: {
                String second = Hostile.pick(random, List.of("second-" + FuzzSeed.ref(FuzzSeed.UNIQUE),
                        "Fuzz other " + FuzzSeed.ref(FuzzSeed.UNIQUE), "admin", ""));
                return Mutation.of("body.duplicate-key", field + " twice, second " + second, d -> {
                    ensureBody(d);
                    if (!d.body.has(field)) {
                        // an optional field the example leaves out, or one a shrink removed: twice means twice
                        d.body.put(field, Value.text(second));
                    }
                    d.body.add(new Body.Field(field, Value.text(second), "a duplicate key", null));
                });
            }
            case 11:
                return instant(field, schema, random);
            case 12: {
                String name = random.nextBoolean() ? Hostile.any(random, dictionary)
                        : Hostile.pick(random, EXTRA_NAMES);
                String value = Hostile.pick(random, List.of("\"x\"", "42", "null", "{}", "\"workspace\"", "\"owner\""));
                return Mutation.of("body.extra-field", name + " = " + value, d -> {
                    ensureBody(d);
                    d.body.put(name, Value.json(value));
                });
            }
            default:
                return wholeBody(operation, random);
        }
    }

    /** A date-time field gets a bare number (must be refused) or an odd instant; any other a wrong type. */
    private static Mutation instant(String field, Schema<?> schema, Random random) {
        if (!Examples.isDateTime(schema)) {
            return wrongType(field, Hostile.pick(random, Hostile.NOT_STRINGS), schema);
        }
        if (random.nextBoolean()) {
            String number = Hostile.pick(random, Hostile.BARE_NUMBER_INSTANTS);
            return Mutation.of("body.bare-number-instant", field + " = " + number,
                    d -> set(d, field, Value.json(number), "an instant must be ISO-8601 text, not a number"));
        }
        return text("body.odd-instant", field, Hostile.pick(random, Hostile.ODD_INSTANTS));
    }

    private static Mutation wrongType(String field, String json, Schema<?> schema) {
        String type = ApiDocuments.type(schema);
        boolean wrong = Examples.isText(schema) || ("object".equals(type) && !json.startsWith("{"));
        return Mutation.of("body.wrong-type", field + " = " + json,
                d -> set(d, field, Value.json(json), wrong ? "wrong JSON type for " + type : null));
    }

    private static Mutation text(String kind, String field, String text) {
        return Mutation.of(kind, field + " = " + Value.text(text).describe(),
                d -> set(d, field, Value.text(text), null));
    }

    private static Mutation longText(String field, Schema<?> schema, String unit, int count) {
        int floor = schema != null && schema.getMaxLength() != null ? schema.getMaxLength() + 1 : 1;
        return new Mutation("body.long-string", field + " = " + Curl.visible(unit) + "×" + count,
                d -> set(d, field, Value.text(unit.repeat(count)), null),
                () -> count / 2 >= floor ? List.of(longText(field, schema, unit, count / 2),
                        longText(field, schema, unit, floor)) : List.of());
    }

    /** The whole body: not an object, not JSON, an array of the object, deeply nested, with a BOM. */
    private static Mutation wholeBody(Operation operation, Random random) {
        boolean required = operation.body().required() && !operation.body().isForm();
        switch (random.nextInt(5)) {
            case 0: {
                String json = Hostile.pick(random, Hostile.NOT_OBJECTS);
                return Mutation.of("body.not-an-object", json, d -> replace(d, json.getBytes(StandardCharsets.UTF_8),
                        required && !json.equals("null") ? "the body must be a JSON object" : null));
            }
            case 1: {
                String text = Hostile.pick(random, Hostile.MALFORMED);
                return Mutation.of("body.malformed", Curl.visible(text), d -> replace(d,
                        text.getBytes(StandardCharsets.UTF_8), "the body is no JSON object"));
            }
            case 2: {
                int depth = Hostile.any(random, List.of(1_000, 10_000, 100_000));
                return deepNesting(depth, required);
            }
            case 3:
                return Mutation.of("body.array-of-object", "[body]", d -> {
                    ensureBody(d);
                    byte[] object = d.body.bytes();
                    replace(d, concat(new byte[]{'['}, object, new byte[]{']'}),
                            required ? "an array is no object" : null);
                });
            default:
                return Mutation.of("body.byte-order-mark", "EF BB BF before the body", d -> {
                    ensureBody(d);
                    replace(d, concat(Hostile.bytes(0xEF, 0xBB, 0xBF), d.body.bytes()), null);
                });
        }
    }

    private static Mutation deepNesting(int depth, boolean required) {
        return new Mutation("body.deep-nesting", "[ × " + depth, d -> replace(d,
                ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII),
                required ? "an array is no object" : null),
                () -> depth > 100 ? List.of(deepNesting(depth / 10, required)) : List.of());
    }

    /** A JSON body sent where the operation documents none: to be ignored or refused, never a failure. */
    private static Mutation unexpectedBody(Random random) {
        String text = Hostile.pick(random,
                List.of("{\"name\":\"x\"}", "null", "{", "\u0000", "{\"reason\":\"\uD800\"}"));
        return Mutation.of("body.unexpected", Curl.visible(text), d -> {
            d.body = new Body(false, List.of(), Value.utf8(text));
            d.contentType = "application/json";
        });
    }

    private static void replace(Draft d, byte[] bytes, String refuse) {
        ensureBody(d);
        d.body.replaceWith(bytes, refuse);
    }

    /** Sets a field, with what the product's rules and the document say about the value. */
    static void set(Draft d, String field, Value value, String refuse) {
        ensureBody(d);
        Schema<?> object = d.operation.body() == null ? null : d.operation.body().schema();
        Schema<?> schema = Examples.properties(object).get(field);
        String documentInvalid = null;
        if (value instanceof Value.Text text && schema != null) {
            if ("object".equals(ApiDocuments.type(schema))) {
                refuse = refuse != null ? refuse : "text where an object belongs";
            } else {
                documentInvalid = Examples.violation(schema, FuzzSeed.sample(text.text()));
            }
        } else if (value instanceof Value.Json json && json.raw().equals("null") && Examples.required(object, field)) {
            documentInvalid = "is required, not null";
        }
        d.body.put(new Body.Field(field, value, refuse, documentInvalid));
    }

    private static void ensureBody(Draft d) {
        if (d.body == null) {
            boolean form = d.operation.body() != null && d.operation.body().isForm();
            d.body = new Body(form, List.of(), null);
            if (d.contentType == null) {
                d.contentType = form ? "application/x-www-form-urlencoded" : "application/json";
            }
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
