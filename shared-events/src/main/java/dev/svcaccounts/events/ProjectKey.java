package dev.svcaccounts.events;

/** What a project key may be: 2-40 characters, lowercase letters, digits and '-', a letter or digit at each end. */
public final class ProjectKey {

    /** The rule as a regular expression (no anchors), for validation annotations, parsers and the API documents. */
    public static final String PATTERN = "[a-z0-9][a-z0-9-]{0,38}[a-z0-9]";

    private ProjectKey() {
    }
}
