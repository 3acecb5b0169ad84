package dev.svcaccounts.events;

/**
 * A workspace's credential policy: what every token issued in it must follow. The {@link #DEFAULT} (a workspace
 * that never set one) requires nothing and allows everything.
 *
 * @param maxLifetimeDays           the most a token may live from its issue, in days; null for no maximum
 * @param requireExpiry             whether every new token must have an expiry
 * @param maxIdleDays               a token unused for longer is revoked (cause IDLE); null for never
 * @param allowServiceAccountTokens false: no token is issued to a service account (like GCP's "disable key creation")
 */
public record TokenPolicy(Integer maxLifetimeDays, boolean requireExpiry, Integer maxIdleDays,
                          boolean allowServiceAccountTokens) {

    public static final TokenPolicy DEFAULT = new TokenPolicy(null, false, null, true);

    /** The range of {@link #maxLifetimeDays} and {@link #maxIdleDays}: a day to ten years. */
    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 3650;
}
