package dev.svcaccounts.command.federation;

import dev.svcaccounts.events.FederationRule;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Workspace aggregate's memory of federation rules, per service account, in the order they were added. */
public class FederationState {

    private final Map<String, Map<String, FederationRule>> rulesByAccount = new HashMap<>();

    public void added(String serviceAccountId, FederationRule rule) {
        rulesByAccount.computeIfAbsent(serviceAccountId, id -> new LinkedHashMap<>()).put(rule.ruleId(), rule);
    }

    public void removed(String serviceAccountId, String ruleId) {
        Map<String, FederationRule> rules = rulesByAccount.get(serviceAccountId);
        if (rules != null) {
            rules.remove(ruleId);
        }
    }

    /** A deleted account's rules go with it. */
    public void accountDeleted(String serviceAccountId) {
        rulesByAccount.remove(serviceAccountId);
    }

    public List<FederationRule> rulesOf(String serviceAccountId) {
        return List.copyOf(rulesByAccount.getOrDefault(serviceAccountId, Map.of()).values());
    }

    public Optional<FederationRule> find(String serviceAccountId, String ruleId) {
        return Optional.ofNullable(rulesByAccount.getOrDefault(serviceAccountId, Map.of()).get(ruleId));
    }
}
