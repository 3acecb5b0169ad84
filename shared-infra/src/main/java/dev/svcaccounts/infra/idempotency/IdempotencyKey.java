package dev.svcaccounts.infra.idempotency;

import dev.svcaccounts.refusals.DomainRuleException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The value of an {@code Idempotency-Key} header (IETF httpapi draft "The Idempotency-Key HTTP Header Field"). The
 * draft makes it a Structured Field string, {@code "..."}; the bare form most clients send is the same key. 1 to
 * {@value #MAX_LENGTH} visible ASCII characters other than {@code "} and {@code \}: anything else is a 400, never
 * silently trimmed or changed.
 */
public record IdempotencyKey(String value) {

    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_LENGTH = 255;
    private static final Pattern ALLOWED = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1," + MAX_LENGTH + "}");

    /** The key from every {@value #HEADER} field of a request (there must be exactly one). */
    public static IdempotencyKey parse(List<String> fields) {
        if (fields.size() != 1) {
            throw invalid("Send one " + HEADER + " header, not " + fields.size() + ".");
        }
        String value = fields.get(0).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (!ALLOWED.matcher(value).matches()) {
            throw invalid(HEADER + " must be 1-" + MAX_LENGTH + " visible ASCII characters without '\"' or '\\' "
                    + "(a UUID is a good choice), optionally in double quotes.");
        }
        return new IdempotencyKey(value);
    }

    private static DomainRuleException invalid(String detail) {
        return DomainRuleException.invalid("invalid-idempotency-key", detail);
    }

    @Override
    public String toString() {
        return value;
    }
}
