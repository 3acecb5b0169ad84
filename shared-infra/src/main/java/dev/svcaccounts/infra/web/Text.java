package dev.svcaccounts.infra.web;

/** Small checks on user-supplied text. */
public final class Text {

    /**
     * At least one visible character; no control characters and no invisible formatting characters (zero-width
     * spaces, bidirectional overrides) that would let two names look alike or a name render misleadingly.
     */
    public static final String VISIBLE_TEXT = "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]*[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\s][^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]*";
    public static final String VISIBLE_TEXT_MESSAGE = "must contain visible characters and no control or invisible formatting characters";
    /** Possibly empty, otherwise as {@link #VISIBLE_TEXT}. */
    public static final String NO_CONTROL_CHARACTERS = "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]*";
    public static final String NO_CONTROL_CHARACTERS_MESSAGE = "must not contain control or invisible formatting characters";

    private Text() {
    }

    /** Stripped text, or null when there is none: how optional free-text fields are stored. */
    public static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** The text without control characters (NUL, newlines, escape sequences...). */
    public static String withoutControlCharacters(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(c -> !Character.isISOControl(c)).forEach(out::appendCodePoint);
        return out.toString();
    }
}
