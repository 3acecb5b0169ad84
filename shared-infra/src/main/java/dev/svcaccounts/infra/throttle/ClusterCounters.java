package dev.svcaccounts.infra.throttle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sliding-window counts per key ({@link WindowedCount}) of one kind ({@code bucket}: writes, or failed
 * authentications), limited to {@code limit} per {@code window} across the cluster. Requests only touch memory; a
 * sync task ({@link ThrottleSync}) writes this node's new counts to the shared table about once a second and reads
 * back the cluster's totals of the keys that matter, so every node decides on nearly the cluster's count. While the
 * database is away each node still enforces the limit on its own counts. At most {@code maxKeys} keys are kept: a
 * key beyond them is not limited (and a WARN says so), which keeps memory bounded whatever a client sends.
 */
public final class ClusterCounters {

    private static final Logger log = LoggerFactory.getLogger(ClusterCounters.class);

    /** Counts of one key and window that this node has not written yet. */
    record Unsent(String key, long windowStart, long count) {
    }

    private final String bucket;
    private final long limit;
    private final Duration window;
    private final Clock clock;
    private final int maxKeys;
    private final Map<String, WindowedCount> counts = new ConcurrentHashMap<>();
    private volatile long fullWarnedAt = Long.MIN_VALUE;

    /** @param limit at most this many per window; 0 or less: no limit (nothing is counted) */
    public ClusterCounters(String bucket, long limit, Duration window, Clock clock, int maxKeys) {
        if (window.toMillis() < 1000) {
            throw new IllegalArgumentException("a throttling window must be at least a second, not " + window);
        }
        this.bucket = bucket;
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    public String bucket() {
        return bucket;
    }

    public long limit() {
        return limit;
    }

    public Duration window() {
        return window;
    }

    public boolean enabled() {
        return limit > 0;
    }

    /** How long until {@code key} is below its limit again; empty if it is below now. Counts nothing. */
    public OptionalLong blockedForMillis(String key) {
        WindowedCount count = enabled() ? counts.get(key) : null;
        if (count == null) {
            return OptionalLong.empty();
        }
        synchronized (count) {
            long wait = count.millisUntilBelow(limit, clock.millis());
            return wait > 0 ? OptionalLong.of(wait) : OptionalLong.empty();
        }
    }

    /** Counts one for {@code key} (say a failed authentication). */
    public void add(String key) {
        WindowedCount count = enabled() ? countOf(key) : null;
        if (count != null) {
            synchronized (count) {
                count.add(clock.millis());
            }
        }
    }

    /**
     * Counts one for {@code key} if it is below its limit, and answers empty; otherwise counts nothing and answers
     * how long until it is below again.
     */
    public OptionalLong tryAcquire(String key) {
        WindowedCount count = enabled() ? countOf(key) : null;
        if (count == null) {
            return OptionalLong.empty();
        }
        synchronized (count) {
            long now = clock.millis();
            long wait = count.millisUntilBelow(limit, now);
            if (wait > 0) {
                return OptionalLong.of(wait);
            }
            count.add(now);
            return OptionalLong.empty();
        }
    }

    private WindowedCount countOf(String key) {
        WindowedCount count = counts.get(key);
        if (count != null) {
            return count;
        }
        if (counts.size() >= maxKeys) {
            warnFull();
            return null;
        }
        return counts.computeIfAbsent(key, k -> new WindowedCount(window.toMillis(), clock.millis()));
    }

    private void warnFull() {
        long now = clock.millis();
        if (now - fullWarnedAt > Duration.ofMinutes(1).toMillis()) {
            fullWarnedAt = now;
            log.warn("Throttling of {}: {} keys counted at once, the most kept; new keys are not limited until "
                    + "older ones are idle", bucket, maxKeys);
        }
    }

    /** This node's counts not written yet, taken: write them, then {@link #written} or {@link #notWritten}. */
    List<Unsent> takeUnsent() {
        List<Unsent> unsent = new ArrayList<>();
        long now = clock.millis();
        counts.forEach((key, count) -> {
            synchronized (count) {
                count.roll(now);
                if (!count.hasUnsent()) {
                    return;
                }
                long start = count.windowStart();
                if (count.hasUnsentPrevious()) {
                    long previous = start - window.toMillis();
                    unsent.add(new Unsent(key, previous, count.takeUnsent(previous)));
                }
                long current = count.takeUnsent(start);
                if (current > 0) {
                    unsent.add(new Unsent(key, start, current));
                }
            }
        });
        return unsent;
    }

    /** The writing failed: the counts are written with the next ones. */
    void notWritten(List<Unsent> unsent) {
        for (Unsent u : unsent) {
            WindowedCount count = counts.get(u.key());
            if (count != null) {
                synchronized (count) {
                    count.returnUnsent(u.windowStart(), u.count());
                }
            }
        }
    }

    /**
     * The cluster's totals as the shared table has them (after this node's last write): for the keys this node
     * counts, and for other nodes' keys that are near their limit, which this node then limits too.
     */
    void clusterTotals(List<Unsent> totals) {
        long now = clock.millis();
        for (Unsent total : totals) {
            WindowedCount count = counts.get(total.key());
            if (count == null) {
                if (total.count() < nearLimit() || counts.size() >= maxKeys) {
                    continue;
                }
                count = counts.computeIfAbsent(total.key(), k -> new WindowedCount(window.toMillis(), now));
            }
            synchronized (count) {
                count.roll(now);
                count.clusterTotal(total.windowStart(), total.count());
            }
        }
    }

    /** Keys with at least this count in the shared table are read back by every node. */
    long nearLimit() {
        return Math.max(1, limit / 10);
    }

    /** The start of the oldest window that still counts (the previous one). */
    long oldestWindowStart() {
        long millis = window.toMillis();
        return Math.floorDiv(clock.millis(), millis) * millis - millis;
    }

    /** Forgets keys with nothing counted in either window and nothing to write. */
    void forgetIdle() {
        long now = clock.millis();
        counts.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                return entry.getValue().isIdle(now);
            }
        });
    }

    int size() {
        return counts.size();
    }
}
