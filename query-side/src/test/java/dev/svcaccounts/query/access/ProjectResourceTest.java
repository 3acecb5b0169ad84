package dev.svcaccounts.query.access;

import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProjectResourceTest {

    @Test
    void aKey_alone_orAsProjectUri_namesTheProject() {
        assertThat(ProjectResource.key("churn", "Parameter", "invalid-parameter")).isEqualTo("churn");
        assertThat(ProjectResource.key("project:churn", "Parameter", "invalid-parameter")).isEqualTo("churn");
        assertThat(ProjectResource.key("project:a1-b2", "Parameter", "invalid-parameter")).isEqualTo("a1-b2");
        assertThat(ProjectResource.key(null, "Parameter", "invalid-parameter")).as("no narrowing").isNull();
        for (String value : List.of("churn", "project:churn", "a1-b2", "project:" + "a".repeat(40))) {
            assertThat(value).as("the documented pattern").matches(ProjectResource.VALUE_PATTERN);
        }
    }

    @Test
    void whatNoProjectKeyCanBe_isRefusedNamingTheFieldAndTheValue() {
        for (String value : List.of("", "project:", "Churn", "-churn", "c", "project:project:churn",
                "https://example.com/churn", "churn ", "a".repeat(41), "proj:churn", "*", "\u0000x")) {
            DomainRuleException refusal = catchThrowableOfType(DomainRuleException.class,
                    () -> ProjectResource.key(value, "Form field", "invalid-field"));
            assertThat(refusal).as(value).isNotNull();
            assertThat(refusal.kind()).isEqualTo(DomainRuleException.Kind.INVALID);
            assertThat(refusal.code()).isEqualTo("invalid-field");
            assertThat(refusal.getMessage()).startsWith("Form field 'resource' must be a project key");
            assertThat(value).as("the documented pattern").doesNotMatch(ProjectResource.VALUE_PATTERN);
        }
    }
}
