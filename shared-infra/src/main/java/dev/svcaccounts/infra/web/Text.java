package dev.svcaccounts.infra.web;

/**
 * Checks on user-supplied text. Text is stored exactly as it was sent, or refused: nothing here trims, cuts or
 * drops characters from what is stored (only {@link #withoutControlCharacters} does, for log and record lines that
 * quote a refused request).
 */
public final class Text {

    /**
     * Control characters, invisible formatting characters (zero-width spaces, bidi overrides), line and paragraph
     * separators, lone surrogates.
     */
    private static final String INVISIBLE = "\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}";
    /** Whitespace, the no-break spaces included. */
    private static final String SPACE = "\\p{javaWhitespace}\\p{Zs}";

    /**
     * At least one visible character, none of {@link #INVISIBLE} (which would let two names look alike or a name
     * render misleadingly), and no whitespace at either end (refused rather than trimmed away).
     */
    public static final String VISIBLE_TEXT =
            "[^" + INVISIBLE + SPACE + "](?:[^" + INVISIBLE + "]*[^" + INVISIBLE + SPACE + "])?";
    public static final String VISIBLE_TEXT_MESSAGE = "must contain visible characters, no control or invisible "
            + "formatting characters, and no whitespace at either end";
    /** Empty (the field is then absent), otherwise as {@link #VISIBLE_TEXT}. */
    public static final String OPTIONAL_TEXT = "(?:" + VISIBLE_TEXT + ")?";
    public static final String OPTIONAL_TEXT_MESSAGE = "must not contain control or invisible formatting characters, "
            + "nor whitespace at either end";

    private Text() {
    }

    /**
     * Null for null or empty text, the text itself otherwise: how optional free-text fields are stored. (Blank text
     * never gets here: {@link #OPTIONAL_TEXT} refuses it.)
     */
    public static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /** The text without control characters (NUL, newlines, escape sequences...), for quoting it in a record. */
    public static String withoutControlCharacters(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(c -> !Character.isISOControl(c)).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** The index of the first UTF-16 surrogate without its pair, or -1: such text cannot be stored as sent. */
    public static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** As {@link #printable}, at most 100 characters of it: for quoting what a client sent in a message. */
    public static String forMessage(String text) {
        return text.length() <= 100 ? printable(text) : printable(text.substring(0, 100)) + "...";
    }

    /** The text with control, invisible and lone surrogate characters written as {@code \\uXXXX}, for a message. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
