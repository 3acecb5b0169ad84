package dev.svcaccounts.query.history;

import dev.svcaccounts.events.FederationRuleAddedEvent;
import dev.svcaccounts.events.FederationRuleRemovedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.federation.FederationRuleView;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The federation rules in force at an instant, folded as {@code FederationRuleProjection} writes them: added, removed,
 * dropped with their deleted account.
 */
final class FederationRulesAt {

    private record Held(String serviceAccountId, FederationRuleView view) {
    }

    private final Map<String, Held> byRuleId = new HashMap<>();

    /** True if the event was one of the rules'. */
    boolean apply(Object payload, Instant time, PrincipalView actor) {
        if (payload instanceof FederationRuleAddedEvent e) {
            // the read model's timestamptz keeps microseconds; the JDBC driver rounds to the nearest one
            Instant stored = time.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
            byRuleId.putIfAbsent(e.rule().ruleId(),
                    new Held(e.serviceAccountId(), FederationRuleView.of(e.rule(), stored, actor)));
            return true;
        }
        if (payload instanceof FederationRuleRemovedEvent e) {
            byRuleId.remove(e.ruleId());
            return true;
        }
        if (payload instanceof ServiceAccountDeletedEvent e) {
            byRuleId.values().removeIf(held -> held.serviceAccountId().equals(e.serviceAccountId()));
        }
        return false;
    }

    /** The account's rules, in the order the read model lists them. */
    List<FederationRuleView> of(String serviceAccountId) {
        return byRuleId.values().stream()
                .filter(held -> held.serviceAccountId().equals(serviceAccountId))
                .map(Held::view)
                .sorted(Comparator.comparing(FederationRuleView::createdAt).thenComparing(FederationRuleView::ruleId))
                .toList();
    }
}
