package dev.svcaccounts.query.federation;

import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.FederationRuleAddedEvent;
import dev.svcaccounts.events.FederationRuleRemovedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.ReadModelDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The federation rules read model against real PostgreSQL: what is in force, in order, idempotent, reset. */
class FederationRuleReadModelIT {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:00:01.123456Z");
    private static final PrincipalView ALICE = new PrincipalView("user", "alice");
    private static final String JWKS = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k1\",\"x\":\"x\","
            + "\"y\":\"y\"}]}";

    private final FederationRuleProjection projection = new FederationRuleProjection(ReadModelDatabase.jdbc());
    private final FederationRuleReadModel readModel = new FederationRuleReadModel(ReadModelDatabase.jdbc());

    @BeforeEach
    void clear() {
        ReadModelDatabase.clear();
    }

    private static FederationRule rule(String id, String jwksUri, String jwks, Map<String, String> claims) {
        return new FederationRule(id, "https://token.actions.githubusercontent.com", jwksUri, jwks,
                "https://github.com/acme", "repo:acme/train:*", claims, 600);
    }

    private void added(String account, FederationRule rule, Instant at) {
        projection.on(new FederationRuleAddedEvent("acme", account, rule), at, "USER", "alice");
    }

    @Test
    void rulesInForce_asRecorded_inTheOrderAdded() {
        FederationRule byUri = rule("r2", "https://token.actions.githubusercontent.com/.well-known/jwks", null,
                Map.of("repository", "acme/train", "environment", "prod"));
        FederationRule inline = rule("r1", null, JWKS, Map.of());
        added("sa-1", byUri, T0);
        added("sa-1", inline, T1);
        added("sa-2", rule("r3", null, JWKS, Map.of()), T0);
        projection.on(new FederationRuleAddedEvent("other", "sa-1", rule("r4", null, JWKS, Map.of())), T0, "USER",
                "zoe");

        assertThat(readModel.rulesOf("acme", "sa-1")).containsExactly(
                FederationRuleView.of(byUri, T0, ALICE), FederationRuleView.of(inline, T1, ALICE));
        FederationRuleView shown = readModel.rulesOf("acme", "sa-1").get(1);
        assertThat(shown.jwks().path("keys").get(0).path("kid").asText()).isEqualTo("k1");
        assertThat(readModel.rulesOf("acme", "sa-1").get(0).claims().keySet())
                .containsExactly("environment", "repository");
    }

    @Test
    void aRemovedRule_orADeletedAccountsRules_areGone() {
        added("sa-1", rule("r1", null, JWKS, Map.of()), T0);
        added("sa-1", rule("r2", null, JWKS, Map.of()), T0);
        added("sa-2", rule("r3", null, JWKS, Map.of()), T0);
        projection.on(new FederationRuleRemovedEvent("acme", "sa-1", "r1"));
        assertThat(readModel.rulesOf("acme", "sa-1")).extracting(FederationRuleView::ruleId).containsExactly("r2");

        projection.on(new ServiceAccountDeletedEvent("acme", "sa-1", "robot"));
        assertThat(readModel.rulesOf("acme", "sa-1")).isEmpty();
        assertThat(readModel.rulesOf("acme", "sa-2")).extracting(FederationRuleView::ruleId).containsExactly("r3");
    }

    @Test
    void eventsAppliedTwice_leaveTheSameRows_andAResetEmptiesThem() {
        FederationRule r1 = rule("r1", null, JWKS, Map.of());
        added("sa-1", r1, T0);
        List<String> once = ReadModelDatabase.dump("federation_rule");
        added("sa-1", r1, T0);
        assertThat(ReadModelDatabase.dump("federation_rule")).isEqualTo(once);
        projection.on(new FederationRuleRemovedEvent("acme", "sa-1", "r1"));
        projection.on(new FederationRuleRemovedEvent("acme", "sa-1", "r1"));
        assertThat(readModel.rulesOf("acme", "sa-1")).isEmpty();

        added("sa-1", r1, T0);
        projection.reset();
        assertThat(ReadModelDatabase.dump("federation_rule")).isEmpty();
    }
}
