package dev.svcaccounts.infra.throttle;

import dev.svcaccounts.infra.security.SecretDigests;
import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Throttling of guessing: failed authentications are counted per client address (its /64 for IPv6) across the
 * cluster, and once an address has failed {@code AUTH_FAILURE_LIMIT} times in {@code AUTH_FAILURE_WINDOW}, its
 * requests get 429 with Retry-After until the count has slid below the limit. A throttled request is answered
 * without a database query or a hash, and its token is not checked, so the answer says nothing about it: except for a
 * token that has authenticated on this node in the last hour ({@link KnownGoodSecrets}), which is checked as usual.
 * So the clients behind one NAT or proxy keep working while a guesser among them is stopped, and the guesser, who
 * has no working token, learns nothing. Nothing is written per attempt: counts go to the shared table once a second.
 */
@Component
public class FailedAuthentications {

    static final String CODE = "too-many-failed-authentications";
    private static final int MAX_KNOWN_GOOD = 100_000;

    private final ClusterCounters counters;
    private final KnownGoodSecrets knownGood;
    private final TooManyRequests tooManyRequests;

    public FailedAuthentications(@Qualifier(ThrottleConfiguration.FAILED_AUTHENTICATIONS) ClusterCounters counters,
                                 SecretDigests digests, Clock clock, TooManyRequests tooManyRequests) {
        this.counters = counters;
        this.knownGood = new KnownGoodSecrets(digests, clock, MAX_KNOWN_GOOD);
        this.tooManyRequests = tooManyRequests;
    }

    /**
     * Answers 429 and returns true if the request's address is throttled and {@code secret} has not worked here
     * lately; returns false (nothing written) otherwise.
     */
    public boolean refused(HttpServletRequest request, String secret, HttpServletResponse response) throws IOException {
        Optional<DomainRuleException> refusal = refusal(request, secret);
        if (refusal.isEmpty()) {
            return false;
        }
        DomainRuleException tooMany = refusal.get();
        tooManyRequests.write(response, CODE, tooMany.getMessage(), tooMany.retryAfterSeconds(), tooMany.properties());
        return true;
    }

    /**
     * The same decision for a caller that answers by throwing (the introspection endpoint authenticating a client):
     * the 429 to throw if the address is throttled and {@code secret} has not worked here lately.
     */
    public Optional<DomainRuleException> refusal(HttpServletRequest request, String secret) {
        if (!counters.enabled()) {
            return Optional.empty();
        }
        OptionalLong wait = counters.blockedForMillis(ClientAddresses.key(request.getRemoteAddr()));
        if (wait.isEmpty() || knownGood.isKnown(secret)) {
            return Optional.empty();
        }
        long seconds = TooManyRequests.seconds(wait.getAsLong());
        return Optional.of(DomainRuleException.tooManyRequests(CODE, "Too many requests with a token that is not valid "
                        + "came from this address; retry after " + seconds + " seconds.", (int) seconds)
                .with("limit", counters.limit()).with("windowSeconds", counters.window().toSeconds())
                .with("retryAfterSeconds", seconds));
    }

    public void failed(HttpServletRequest request) {
        counters.add(ClientAddresses.key(request.getRemoteAddr()));
    }

    public void succeeded(String secret) {
        if (counters.enabled()) {
            knownGood.succeeded(secret);
        }
    }

    void forgetOld() {
        knownGood.forgetOld();
    }
}
