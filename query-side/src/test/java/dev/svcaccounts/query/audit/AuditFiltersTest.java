package dev.svcaccounts.query.audit;

import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An actor filter always has a type: given, or the one its id says; never every principal with that id. */
class AuditFiltersTest {

    @Test
    void anActorByIdAlone_isOfTheTypeItsIdSays() {
        assertThat(actorType(null, "operator")).isEqualTo("operator");
        assertThat(actorType(null, "3f1c2a9e-0000-4000-8000-000000000001")).isEqualTo("service_account");
        assertThat(actorType(null, "bob")).isEqualTo("user");
        assertThat(actorType(null, null)).isNull();
    }

    @Test
    void aGivenType_isTheType_whateverTheId() {
        assertThat(actorType("user", "operator")).isEqualTo("user");
        assertThat(actorType("operator", null)).isEqualTo("operator");
        assertThatThrownBy(() -> actorType("robot", "bob")).isInstanceOf(DomainRuleException.class)
                .hasMessageContaining("actorType");
        assertThatThrownBy(() -> new AuditFilters(null, null, "x", "galaxy", null, null, null, null, null, null, null)
                .query("acme")).isInstanceOf(DomainRuleException.class).hasMessageContaining("subjectType");
    }

    private static String actorType(String actorType, String actor) {
        return new AuditFilters(actor, actorType, null, null, null, null, null, null, null, null, null).query("acme")
                .actorType();
    }
}
