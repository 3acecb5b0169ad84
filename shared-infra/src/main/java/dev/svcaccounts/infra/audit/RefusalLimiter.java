package dev.svcaccounts.infra.audit;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.PrincipalRef;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * At most {@code perWindow} refusals recorded per key (a token, or a principal, always of one workspace) in each
 * window, which starts at the key's first refusal; the rest are only counted, with who was refused, by which rule,
 * with which token and from where, for the summary that goes into the trail when the window ends. Someone hammering
 * with a revoked token fills the event store with ten entries and one summary a minute, not thousands. Per node, in
 * memory; at most {@code maxKeys} keys at once (beyond that a refusal is recorded, not limited).
 */
final class RefusalLimiter {

    /**
     * What refusals are limited by: a token ({@code kind} "token") or a principal ({@code kind} its type), in one
     * workspace, so that a principal refused in one workspace does not use up its budget in another.
     */
    record Key(String workspaceId, String kind, String id) {

        Key {
            Objects.requireNonNull(workspaceId, "workspaceId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
        }

        static Key token(String workspaceId, String tokenId) {
            return new Key(workspaceId, "token", tokenId);
        }

        static Key principal(AuthenticatedPrincipal principal) {
            return new Key(principal.workspaceId(), principal.type().name().toLowerCase(), principal.id());
        }

        @Override
        public String toString() {
            return workspaceId + " " + kind + " " + id;
        }
    }

    /** One refused request, as far as the summary of those not recorded needs it. */
    record Refusal(AuthenticatedPrincipal actor, String rule, String clientIp) {
    }

    /**
     * Refusals of one key that were not recorded in the window from {@code windowStart} to {@code windowEnd}.
     * {@code tokenId} and {@code clientIp} are null when the refusals came with several (or none).
     */
    record Skipped(Key key, Instant windowStart, Instant windowEnd, int count, int limit, PrincipalRef principal,
                   String actorName, String tokenId, String clientIp, Map<String, Integer> rules) {
    }

    /** Distinct tokens and client addresses kept per window: enough to say "one" or "several". */
    private static final int DISTINCT_KEPT = 2;

    private static final class Window {
        final Instant start;
        int recorded;
        int skipped;
        boolean changed;
        PrincipalRef principal;
        String actorName;
        final Set<String> tokens = new LinkedHashSet<>();
        final Set<String> clientIps = new LinkedHashSet<>();
        final Map<String, Integer> rules = new TreeMap<>();

        Window(Instant start) {
            this.start = start;
        }

        void skip(Refusal refusal) {
            skipped++;
            changed = true;
            principal = refusal.actor().ref();
            actorName = refusal.actor().name();
            remember(tokens, refusal.actor().tokenId());
            remember(clientIps, refusal.clientIp());
            rules.merge(String.valueOf(refusal.rule()), 1, Integer::sum);
        }

        private static void remember(Set<String> distinct, String value) {
            if (distinct.size() < DISTINCT_KEPT) {
                distinct.add(value);
            }
        }
    }

    private final int perWindow;
    private final Duration window;
    private final Clock clock;
    private final int maxKeys;
    private final Map<Key, Window> windows = new HashMap<>();
    private final List<Skipped> ended = new ArrayList<>();

    RefusalLimiter(int perWindow, Duration window, Clock clock, int maxKeys) {
        this.perWindow = perWindow;
        this.window = window;
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    Duration window() {
        return window;
    }

    int perWindow() {
        return perWindow;
    }

    /** True if this refusal of {@code key} is to be recorded; false if it was counted for the summary instead. */
    synchronized boolean tryAcquire(Key key, Refusal refusal) {
        Instant now = clock.instant();
        Window current = windows.get(key);
        if (current == null || hasEnded(current, now)) {
            if (current != null) {
                end(key, current, current.start.plus(window));
            } else if (windows.size() >= maxKeys) {
                return true;
            }
            current = new Window(now);
            windows.put(key, current);
        }
        if (current.recorded < perWindow) {
            current.recorded++;
            return true;
        }
        current.skip(refusal);
        return false;
    }

    /** The windows that have ended with refusals skipped, each once; forgets every ended window. */
    synchronized List<Skipped> takeEndedWithSkips() {
        return take(false);
    }

    /** Every window with refusals skipped, ended or not, each once (on shutdown); forgets every window. */
    synchronized List<Skipped> takeAllWithSkips() {
        return take(true);
    }

    /** The open windows whose skipped refusals changed since the last call, as they stand now. */
    synchronized List<Skipped> takeChangedOpenWindows() {
        List<Skipped> changed = new ArrayList<>();
        windows.forEach((key, w) -> {
            if (w.changed) {
                w.changed = false;
                changed.add(skipped(key, w, w.start.plus(window)));
            }
        });
        return changed;
    }

    private List<Skipped> take(boolean evenIfOpen) {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<Key, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Window> entry = it.next();
            Window w = entry.getValue();
            if (hasEnded(w, now)) {
                end(entry.getKey(), w, w.start.plus(window));
                it.remove();
            } else if (evenIfOpen) {
                end(entry.getKey(), w, now); // cut short
                it.remove();
            }
        }
        List<Skipped> taken = List.copyOf(ended);
        ended.clear();
        return taken;
    }

    private boolean hasEnded(Window w, Instant now) {
        return !now.isBefore(w.start.plus(window));
    }

    private void end(Key key, Window w, Instant endedAt) {
        if (w.skipped > 0) {
            ended.add(skipped(key, w, endedAt));
        }
    }

    private Skipped skipped(Key key, Window w, Instant windowEnd) {
        return new Skipped(key, w.start, windowEnd, w.skipped, perWindow, w.principal, w.actorName,
                single(w.tokens), single(w.clientIps), Collections.unmodifiableMap(new TreeMap<>(w.rules)));
    }

    private static String single(Set<String> distinct) {
        return distinct.size() == 1 ? distinct.iterator().next() : null;
    }
}
