package dev.svcaccounts.query.compliance;

import dev.svcaccounts.refusals.DomainRuleException;
import org.springframework.util.MultiValueMap;

import java.util.Set;
import java.util.TreeSet;

/**
 * The token report's filters, all optional and combined with AND. {@code withoutExpiry}: true for tokens that
 * never expire, false for those that do. {@code olderThanDays}: created more than N days ago. {@code unusedForDays}:
 * last used more than N days ago, or never used and created more than N days ago. {@code breaksPolicy}: true for
 * tokens that break a rule of the workspace's credential policy ({@link PolicyViolations}), false for the others.
 */
record TokenReportFilter(Boolean withoutExpiry, Integer olderThanDays, Integer unusedForDays, Boolean breaksPolicy) {

    static final String WITHOUT_EXPIRY = "withoutExpiry";
    static final String OLDER_THAN_DAYS = "olderThanDays";
    static final String UNUSED_FOR_DAYS = "unusedForDays";
    static final String BREAKS_POLICY = "breaksPolicy";
    static final int MAX_DAYS = 36500;

    private static final Set<String> KNOWN = new TreeSet<>(Set.of(WITHOUT_EXPIRY, OLDER_THAN_DAYS, UNUSED_FOR_DAYS,
            BREAKS_POLICY));

    /**
     * From the request's query parameters. An unknown one is refused rather than ignored: a mistyped filter
     * must not turn "unused for 90 days" into "every token".
     */
    static TokenReportFilter of(MultiValueMap<String, String> parameters) {
        parameters.forEach((name, values) -> {
            if (!KNOWN.contains(name)) {
                throw DomainRuleException.invalid("invalid-parameter",
                        "Unknown parameter '" + name + "'. Known parameters: " + KNOWN + ".");
            }
            if (values.size() > 1) {
                throw DomainRuleException.invalid("invalid-parameter", "Parameter '" + name + "' is given twice.");
            }
        });
        return new TokenReportFilter(bool(WITHOUT_EXPIRY, parameters.getFirst(WITHOUT_EXPIRY)),
                days(OLDER_THAN_DAYS, parameters.getFirst(OLDER_THAN_DAYS)),
                days(UNUSED_FOR_DAYS, parameters.getFirst(UNUSED_FOR_DAYS)),
                bool(BREAKS_POLICY, parameters.getFirst(BREAKS_POLICY)));
    }

    private static Boolean bool(String name, String value) {
        if (value == null) {
            return null;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw DomainRuleException.invalid("invalid-parameter",
                    "Parameter '" + name + "' must be true or false.");
        }
        return Boolean.valueOf(value);
    }

    private static Integer days(String name, String value) {
        if (value == null) {
            return null;
        }
        if (!value.matches("[0-9]{1,5}") || Integer.parseInt(value) > MAX_DAYS) {
            throw DomainRuleException.invalid("invalid-parameter",
                    "Parameter '" + name + "' must be a whole number of days from 0 to " + MAX_DAYS + ".");
        }
        return Integer.valueOf(value);
    }
}
