package dev.svcaccounts.infra.web;

import dev.svcaccounts.refusals.DomainRuleException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Strict readings of the values clients send: instants (in query parameters and JSON bodies alike) and whole
 * numbers. A value that does not read exactly is refused naming the parameter, never approximated.
 */
public final class Parameters {

    /** The instants either side accepts: the years PostgreSQL, Java and ISO-8601 without a sign all agree on. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    public static final String INSTANT_FORMAT = "an ISO-8601 instant with an offset or Z, from year 1 to 9999, "
            + "such as 2026-01-31T12:00:00Z";

    private Parameters() {
    }

    /**
     * An ISO-8601 date and time with its offset ({@code Z} or {@code +01:00}); a local date-time, a number or an
     * instant outside {@link #EARLIEST}..{@link #LATEST} is refused.
     *
     * @throws DateTimeException when the text is not such an instant
     */
    public static Instant parseInstant(String text) {
        Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new DateTimeException("out of range");
        }
        return instant;
    }

    /** A query parameter's instant; null when absent; 400 {@code invalid-parameter} naming it when not one. */
    public static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return parseInstant(value);
        } catch (DateTimeException e) {
            throw DomainRuleException.invalid("invalid-parameter",
                    "Parameter '" + name + "' must be " + INSTANT_FORMAT + ".");
        }
    }

    /**
     * A query parameter's whole number from {@code min} to {@code max}, in plain decimal digits (no sign, spaces or
     * exponent); null when absent; 400 {@code invalid-parameter} naming it otherwise.
     */
    public static Long wholeNumber(String name, String value, long min, long max) {
        if (value == null) {
            return null;
        }
        if (!value.matches("[0-9]{1,18}") || Long.parseLong(value) < min || Long.parseLong(value) > max) {
            throw DomainRuleException.invalid("invalid-parameter",
                    "Parameter '" + name + "' must be a whole number from " + min + " to " + max + ".");
        }
        return Long.valueOf(value);
    }
}
