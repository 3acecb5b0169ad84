package dev.svcaccounts.system.fuzz;

import io.swagger.v3.oas.models.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Valid values for documented fields and parameters (the base every mutation starts from), and what the document
 * says about a value: whether it breaks the field's type, pattern or length.
 */
final class Examples {

    private static final List<String> VISIBILITIES = List.of("private", "workspace", "public");

    private Examples() {
    }

    /** A valid value for a body field, by its name first (the document's patterns cannot tell a key from a name). */
    static Value field(String name, Schema<?> schema, Random random) {
        String type = ApiDocuments.type(schema);
        if ("object".equals(type) && schema.getProperties() != null) {
            StringBuilder object = new StringBuilder("{");
            List<String> names = new ArrayList<>(schema.getProperties().keySet());
            boolean first = true;
            for (String property : names) {
                if (!required(schema, property) && random.nextBoolean()) {
                    continue;
                }
                object.append(first ? "" : ",").append(new String(Value.quoted(property),
                        java.nio.charset.StandardCharsets.UTF_8)).append(':').append(new String(
                        field(property, schema.getProperties().get(property), random).json(),
                        java.nio.charset.StandardCharsets.UTF_8));
                first = false;
            }
            return Value.json(object.append('}').toString());
        }
        if ("integer".equals(type) || "number".equals(type)) {
            return Value.json("10");
        }
        if ("boolean".equals(type)) {
            return Value.json(random.nextBoolean() ? "true" : "false");
        }
        if ("array".equals(type)) {
            // as few items as the document asks for (the leaked-token report's list needs one)
            int items = schema.getMinItems() == null ? 0 : schema.getMinItems();
            StringBuilder array = new StringBuilder("[");
            for (int i = 0; i < items; i++) {
                array.append(i == 0 ? "" : ",").append(new String(field(name, schema.getItems(), random).json(),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            return Value.json(array.append(']').toString());
        }
        return Value.text(text(name, schema, random));
    }

    /** A valid text value: by name, then the schema's enum or pattern. */
    static String text(String name, Schema<?> schema, Random random) {
        String byName = switch (name) {
            case "username" -> "fz" + FuzzSeed.ref(FuzzSeed.UNIQUE);
            case "id" -> "fz-" + FuzzSeed.ref(FuzzSeed.UNIQUE);
            case "name" -> "Fuzz " + FuzzSeed.ref(FuzzSeed.UNIQUE);
            case "description", "reason" -> "fuzzed " + Hostile.randomName(random, 4);
            case "expiresAt", "tokenExpiresAt" -> "2031-0" + (1 + random.nextInt(9)) + "-01T00:00:00Z";
            case "key" -> "k-" + FuzzSeed.ref(FuzzSeed.UNIQUE);
            case "visibility" -> Hostile.pick(random, VISIBILITIES);
            case "issuer" -> "https://issuer.example";
            case "jwksUri" -> "https://issuer.example/jwks";
            case "audience" -> "fuzz-audience";
            case "subject" -> "repo:fuzz/" + FuzzSeed.ref(FuzzSeed.UNIQUE) + ":*";
            case "token" -> FuzzSeed.ref(Hostile.pick(random, List.of(FuzzSeed.SERVICE_ACCOUNT, FuzzSeed.MEMBER,
                    FuzzSeed.REVOKED, FuzzSeed.UNKNOWN)));
            default -> null;
        };
        if (byName != null && violation(schema, FuzzSeed.sample(byName)) == null) {
            return byName;
        }
        if (schema != null && schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return String.valueOf(schema.getEnum().get(random.nextInt(schema.getEnum().size())));
        }
        if (schema != null && schema.getPattern() != null && schema.getPattern().matches("[a-z|]+")) {
            String[] alternatives = schema.getPattern().split("\\|");
            return alternatives[random.nextInt(alternatives.length)];
        }
        for (String candidate : List.of("fz" + Hostile.randomName(random, 6), "Fuzz value", "member")) {
            if (violation(schema, candidate) == null) {
                return candidate;
            }
        }
        return byName != null ? byName : "fuzz";
    }

    /** A valid query parameter value, percent-encoded (refs stay as they are). */
    static String queryValue(Operation.Parameter parameter, Random random) {
        // from and to are instants, but for GET /v1/audit/consistency, where they are tree sizes
        boolean number = "integer".equals(ApiDocuments.type(parameter.schema()));
        String raw = switch (parameter.name()) {
            case "status" -> Hostile.pick(random, List.of("active", "deactivated", "deleted"));
            case "limit" -> String.valueOf(1 + random.nextInt(50));
            case "from" -> number ? null : "2020-01-01T00:00:00Z";
            case "to" -> number ? null : "2100-01-01T00:00:00Z";
            case "at" -> "2020-06-01T00:00:00Z";
            case "format" -> Hostile.pick(random, List.of("csv", "ndjson"));
            case "actor" -> FuzzSeed.ref(Hostile.pick(random, List.of("USER", "SA")));
            case "subject" -> FuzzSeed.ref("SA");
            case "project" -> FuzzSeed.ref("PROJECT");
            case "type" -> Hostile.pick(random, List.of("token.issued", "access.refused", "project.created"));
            case "token" -> FuzzSeed.ref("TOKEN");
            case "withoutExpiry" -> random.nextBoolean() ? "true" : "false";
            case "olderThanDays", "unusedForDays" -> String.valueOf(random.nextInt(100));
            case "after" -> "0";
            default -> null;
        };
        if (raw != null) {
            return raw;
        }
        String type = ApiDocuments.type(parameter.schema());
        if ("integer".equals(type)) {
            return "10";
        }
        if ("boolean".equals(type)) {
            return "true";
        }
        return Value.text(text(parameter.name(), parameter.schema(), random)).formEncoded();
    }

    static boolean required(Schema<?> schema, String property) {
        return schema != null && schema.getRequired() != null && schema.getRequired().contains(property);
    }

    static Map<String, Schema> properties(Schema<?> schema) {
        return schema == null || schema.getProperties() == null ? Map.of() : schema.getProperties();
    }

    static boolean isDateTime(Schema<?> schema) {
        return schema != null && "date-time".equals(schema.getFormat());
    }

    static boolean isText(Schema<?> schema) {
        return schema == null || "string".equals(ApiDocuments.type(schema));
    }

    /** Why the document calls this text invalid for the field, or null. */
    static String violation(Schema<?> schema, String text) {
        if (schema == null) {
            return null;
        }
        int length = text.codePointCount(0, text.length());
        if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
            return "longer than maxLength " + schema.getMaxLength();
        }
        if (schema.getMinLength() != null && length < schema.getMinLength()) {
            return "shorter than minLength " + schema.getMinLength();
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty() && !schema.getEnum().contains(text)) {
            return "not one of " + schema.getEnum();
        }
        if (schema.getPattern() != null) {
            try {
                if (!Pattern.compile(schema.getPattern()).matcher(text).matches()) {
                    return "does not match pattern " + schema.getPattern();
                }
            } catch (PatternSyntaxException e) {
                return null;
            }
        }
        return null;
    }
}
