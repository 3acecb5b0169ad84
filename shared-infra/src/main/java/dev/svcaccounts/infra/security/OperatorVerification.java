package dev.svcaccounts.infra.security;

import dev.svcaccounts.credentials.OperatorCheck;
import dev.svcaccounts.refusals.DomainRuleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Checks a secret against the stored operator credential ({@link OperatorSecretHash}) without paying the slow hash
 * on every request: introspection authenticates the operator on each call. The secret that matched the stored value
 * last is remembered as a keyed digest ({@link SecretDigests}), so the next requests cost one HMAC; the stored value
 * is read on every request all the same (one primary-key row), so a rotation holds on the next request. A secret that
 * did not match is remembered too, up to {@value #MAX_REFUSED}, so a client repeating a wrong one costs no hashing.
 * Requests that bring the same secret while it is being hashed wait for that answer (say the eight clients that
 * reach a node just started all at once) instead of hashing it again. New guesses each cost a slow hash, at most
 * {@code permits} at once (half the cores): a flood of them cannot take every core, and a request that finds no
 * permit within {@value #WAIT_MILLIS} ms is answered 503 with Retry-After.
 */
@Component
public class OperatorVerification implements OperatorCheck {

    private static final Logger log = LoggerFactory.getLogger(OperatorVerification.class);
    static final int MAX_REFUSED = 1000;
    static final long WAIT_MILLIS = 100;
    /** How long a request waits for the answer of the same secret being hashed by another. */
    static final long SAME_SECRET_WAIT_MILLIS = 10_000;

    /** A secret's digest that matched this stored value. */
    private record Verified(String stored, String digest) {
    }

    private final JdbcTemplate jdbc;
    private final SecretDigests digests;
    private final BiPredicate<String, String> slowMatch;
    private final Semaphore slowHashes;
    private volatile Verified verified;
    /** Digests of secrets that did not match {@link #refusedFor}. */
    private final Map<String, Boolean> refused = new ConcurrentHashMap<>();
    private volatile String refusedFor;
    /** Secrets being hashed now, by stored value and digest: who brings the same one waits for that answer. */
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

    @Autowired
    public OperatorVerification(JdbcTemplate jdbc, SecretDigests digests) {
        this(jdbc, digests, OperatorSecretHash::matches, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    OperatorVerification(JdbcTemplate jdbc, SecretDigests digests, BiPredicate<String, String> slowMatch, int permits) {
        this.jdbc = jdbc;
        this.digests = digests;
        this.slowMatch = slowMatch;
        this.slowHashes = new Semaphore(permits);
    }

    /** Whether {@code secret} is the operator credential stored now (see {@link #matches}). */
    @Override
    public boolean isOperator(String secret) {
        List<String> stored = jdbc.queryForList("SELECT secret_hash FROM command_side.operator_credential",
                String.class);
        return !stored.isEmpty() && matches(secret, stored.get(0).strip());
    }

    /** Whether {@code secret} is the operator credential stored as {@code stored}, read by the caller just now. */
    @Override
    public boolean isOperator(String secret, String stored) {
        return stored != null && matches(secret, stored.strip());
    }

    /**
     * Whether {@code secret} is the operator credential stored as {@code stored}. A legacy SHA-256 that matches is
     * replaced by the salted form.
     *
     * @throws DomainRuleException 503 when too many slow hashes are under way
     */
    boolean matches(String secret, String stored) {
        String digest = digests.of(secret);
        if (isVerified(stored, digest)) {
            return true;
        }
        if (stored.equals(refusedFor) && refused.containsKey(digest)) {
            return false;
        }
        boolean matches = OperatorSecretHash.isLegacy(stored) ? OperatorSecretHash.matches(secret, stored)
                : onceAtATime(stored + " " + digest, () -> isVerified(stored, digest)
                        || slowly(() -> slowMatch.test(secret, stored)));
        if (matches) {
            verified = new Verified(upgraded(secret, stored), digest);
        } else {
            rememberRefused(stored, digest);
        }
        return matches;
    }

    private boolean isVerified(String stored, String digest) {
        Verified last = verified;
        return last != null && last.stored().equals(stored) && last.digest().equals(digest);
    }

    /** The command side has just stored {@code stored} from {@code secret}: no need to hash it again. */
    public void remember(String secret, String stored) {
        verified = new Verified(stored, digests.of(secret));
    }

    private void rememberRefused(String stored, String digest) {
        if (!stored.equals(refusedFor)) {
            refused.clear();
            refusedFor = stored;
        }
        if (refused.size() < MAX_REFUSED) {
            refused.put(digest, Boolean.TRUE);
        }
    }

    /** A legacy hash that matched is replaced by the salted form (unless another node did it first). */
    private String upgraded(String secret, String stored) {
        if (OperatorSecretHash.isCurrent(stored)) {
            return stored;
        }
        try {
            String salted = slowly(() -> OperatorSecretHash.hash(secret));
            int updated = jdbc.update(
                    "UPDATE command_side.operator_credential SET secret_hash = ? WHERE secret_hash = ?",
                    salted, stored);
            if (updated > 0) {
                log.info("Operator credential now stored as a salted PBKDF2 hash instead of an unsalted SHA-256");
                return salted;
            }
        } catch (RuntimeException e) {
            log.warn("Could not store the operator credential as a salted hash, will try again: {}",
                    NestedExceptionUtils.getMostSpecificCause(e).getMessage());
        }
        return stored;
    }

    /** The answer of {@code check}, or of the same check already under way in another request. */
    private boolean onceAtATime(String key, Supplier<Boolean> check) {
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return awaitAnswer(running);
        }
        try {
            boolean answer = check.get();
            mine.complete(answer);
            return answer;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private static boolean awaitAnswer(CompletableFuture<Boolean> running) {
        try {
            return running.get(SAME_SECRET_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } catch (TimeoutException e) {
            throw busy();
        }
    }

    private static DomainRuleException busy() {
        return DomainRuleException.unavailable("authentication-busy",
                "Too many operator credentials are being checked at once; retry shortly.", 1);
    }

    private <T> T slowly(Supplier<T> hashing) {
        boolean acquired;
        try {
            acquired = slowHashes.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw busy();
        }
        try {
            return hashing.get();
        } finally {
            slowHashes.release();
        }
    }
}
