package dev.svcaccounts.system.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body under construction: named fields serialised as a JSON object or as a form, in order (a name may
 * occur twice, for duplicate keys), or raw bytes that replace the whole body (malformed documents). Each field, and
 * a raw body, carries why the product must refuse it and why the OpenAPI document calls it invalid, so that a
 * reason leaves with the field when a later mutation removes or replaces it.
 */
public final class Body {

    /**
     * One member of the object; {@code name} is escaped like a JSON string.
     *
     * @param refuse          why the product's own rules refuse this value, or null
     * @param documentInvalid why the document calls it invalid, or null
     */
    public record Field(String name, Value value, String refuse, String documentInvalid) {
    }

    private final boolean form;
    private final List<Field> fields;
    private byte[] raw;
    private String rawRefuse;

    public Body(boolean form, List<Field> fields, byte[] raw) {
        this.form = form;
        this.fields = new ArrayList<>(fields);
        this.raw = raw;
    }

    public Body copy() {
        Body copy = new Body(form, fields, raw);
        copy.rawRefuse = rawRefuse;
        return copy;
    }

    public boolean isForm() {
        return form;
    }

    public List<Field> fields() {
        return fields;
    }

    /** Replaces the whole body by these bytes; {@code refuse} says why the product must refuse them, or null. */
    public void replaceWith(byte[] bytes, String refuse) {
        this.raw = bytes;
        this.rawRefuse = refuse;
    }

    public boolean isRaw() {
        return raw != null;
    }

    public boolean has(String name) {
        return fields.stream().anyMatch(f -> f.name().equals(name));
    }

    public void put(String name, Value value) {
        put(new Field(name, value, null, null));
    }

    /** Sets the field, in place of an earlier one of that name (the first, if there are two). */
    public void put(Field field) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(field.name())) {
                fields.set(i, field);
                return;
            }
        }
        fields.add(field);
    }

    public void add(Field field) {
        fields.add(field);
    }

    public void remove(String name) {
        fields.removeIf(f -> f.name().equals(name));
    }

    /** Why the product must refuse this body. */
    public List<String> refuseReasons() {
        if (raw != null) {
            return rawRefuse == null ? List.of() : List.of(rawRefuse);
        }
        return fields.stream().filter(f -> f.refuse() != null).map(f -> f.name() + ": " + f.refuse()).toList();
    }

    /** Why the document calls its fields invalid (a raw body is judged by the product's rules only). */
    public List<String> documentReasons() {
        if (raw != null) {
            return List.of();
        }
        return fields.stream().filter(f -> f.documentInvalid() != null)
                .map(f -> f.name() + " " + f.documentInvalid()).toList();
    }

    public byte[] bytes() {
        if (raw != null) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (form) {
            List<String> pairs = new ArrayList<>();
            fields.forEach(f -> pairs.add(Value.percentEncode(Value.utf8(f.name())) + "=" + f.value().formEncoded()));
            out.writeBytes(String.join("&", pairs).getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }
        out.write('{');
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(Value.quoted(fields.get(i).name()));
            out.write(':');
            out.writeBytes(fields.get(i).value().json());
        }
        out.write('}');
        return out.toByteArray();
    }
}
