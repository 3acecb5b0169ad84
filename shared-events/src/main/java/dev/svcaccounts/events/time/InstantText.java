package dev.svcaccounts.events.time;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Instants as ISO-8601 text in UTC without {@link java.time.format.DateTimeFormatter}, whose general machinery was
 * about 2% of the CPU of an introspection (the statements' clock parameter), of a command (each event's timestamp)
 * and an eighth of a bulk rebuild's thread. Years 0 to 9999 are written here; any other instant goes to
 * {@link Instant#toString()}, or is left to the caller, so the text is the reference's in every case.
 */
public final class InstantText {

    private static final int SECONDS_PER_DAY = 86_400;

    private InstantText() {
    }

    /** Exactly {@link Instant#toString()}. */
    public static String of(Instant instant) {
        StringBuilder out = new StringBuilder(30);
        append(out, instant);
        return out.toString();
    }

    /** Appends exactly what {@link Instant#toString()} would. */
    public static void append(StringBuilder out, Instant instant) {
        if (!appendDateTime(out, instant)) {
            out.append(instant);
            return;
        }
        int nanos = instant.getNano();
        if (nanos > 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(out, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                pad(out, nanos / 1000, 6);
            } else {
                pad(out, nanos, 9);
            }
        }
        out.append('Z');
    }

    /**
     * Appends {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, the fraction truncated to milliseconds (the event store's column, as
     * Axon writes it), or nothing and false when the year is outside 0-9999.
     */
    public static boolean appendMillis(StringBuilder out, Instant instant) {
        if (!appendDateTime(out, instant)) {
            return false;
        }
        pad(out.append('.'), instant.getNano() / 1_000_000, 3);
        out.append('Z');
        return true;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss}, or false with nothing appended when the year is outside 0-9999. */
    private static boolean appendDateTime(StringBuilder out, Instant instant) {
        long seconds = instant.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            return false;
        }
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        pad(out, year, 4).append('-');
        pad(out, date.getMonthValue(), 2).append('-');
        pad(out, date.getDayOfMonth(), 2).append('T');
        pad(out, secondOfDay / 3600, 2).append(':');
        pad(out, secondOfDay / 60 % 60, 2).append(':');
        pad(out, secondOfDay % 60, 2);
        return true;
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        for (int scale = pow10(width - 1); scale > 1 && value < scale; scale /= 10) {
            out.append('0');
        }
        return out.append(value);
    }

    private static int pow10(int exponent) {
        int value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
