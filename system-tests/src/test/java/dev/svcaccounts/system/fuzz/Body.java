package dev.svcaccounts.system.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body under construction: named fields serialised as a JSON object or as a form, in order (a name may
 * occur twice, for duplicate keys), or raw bytes that replace the whole body (malformed documents).
 */
public final class Body {

    /** One member of the object; {@code name} is escaped like a JSON string. */
    public record Field(String name, Value value) {
    }

    private final boolean form;
    private final List<Field> fields;
    private byte[] raw;

    public Body(boolean form, List<Field> fields, byte[] raw) {
        this.form = form;
        this.fields = new ArrayList<>(fields);
        this.raw = raw;
    }

    public Body copy() {
        return new Body(form, fields, raw);
    }

    public boolean isForm() {
        return form;
    }

    public List<Field> fields() {
        return fields;
    }

    public void replaceWith(byte[] bytes) {
        this.raw = bytes;
    }

    public boolean isRaw() {
        return raw != null;
    }

    public Value get(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).map(Field::value).findFirst().orElse(null);
    }

    public void put(String name, Value value) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                fields.set(i, new Field(name, value));
                return;
            }
        }
        fields.add(new Field(name, value));
    }

    public void remove(String name) {
        fields.removeIf(f -> f.name().equals(name));
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
