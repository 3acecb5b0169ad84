package dev.svcaccounts.infra.axon;

import dev.svcaccounts.events.time.InstantText;
import org.axonframework.common.DateTimeUtils;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The event store's timestamps without {@link java.time.format.DateTimeFormatter} (printed by {@link InstantText}):
 * an append writes one per event, and a bulk rebuild parses one per event. Only the one shape the store holds is
 * handled here ({@code 2026-12-07T06:59:10.123Z}, years 0 to 9999, 0 to 9 fraction digits); any other goes to
 * Axon's own parser and formatter, so the results are theirs in every case.
 */
public final class IsoInstants {

    private static final int SECONDS_PER_DAY = 86_400;

    private IsoInstants() {
    }

    /** As {@link DateTimeUtils#parseInstant}. */
    public static Instant parse(String text) {
        Instant fast = parseUtc(text);
        return fast != null ? fast : DateTimeUtils.parseInstant(text);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null for any other text (even a valid one). */
    static Instant parseUtc(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (text.charAt(19) != '.' || n == 21) {
                return null;
            }
            nanos = digits(text, 20, n - 1);
            if (nanos < 0) {
                return null;
            }
            for (int i = n - 1; i < 29; i++) {
                nanos *= 10;
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * What {@link DateTimeUtils#formatInstant} prints, which is what the event store's timestamp column holds:
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, the fraction truncated to milliseconds.
     */
    public static String utcMillis(Instant instant) {
        StringBuilder out = new StringBuilder(24);
        return InstantText.appendMillis(out, instant) ? out.toString() : DateTimeUtils.formatInstant(instant);
    }
}
