package dev.svcaccounts.command.federation.exchange;

import dev.svcaccounts.command.federation.jwt.ExchangeRefusal;

import java.util.regex.Pattern;

/** The exchange's {@code resource}: {@code <workspace>/<service-account id>}, the one account the token is for. */
record Target(String workspaceId, String serviceAccountId) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The target named, or null when none was. */
    static Target parse(String resource) {
        if (resource == null) {
            return null;
        }
        int slash = resource.indexOf('/');
        if (slash < 0 || !ID.matcher(resource.substring(0, slash)).matches()
                || !ID.matcher(resource.substring(slash + 1)).matches()) {
            throw new ExchangeRefusal(ExchangeRefusal.INVALID_TARGET, "unknown-target",
                    "resource must be <workspace>/<service-account id>.");
        }
        return new Target(resource.substring(0, slash), resource.substring(slash + 1));
    }
}
