package dev.svcaccounts.command.federation.exchange;

import dev.svcaccounts.command.federation.jwt.ExchangeRefusal;
import dev.svcaccounts.events.ProjectRole;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token exchange's form, checked for its shape before any JWT is looked at. */
class ExchangeRequestTest {

    private static Map<String, String> form(String... extra) {
        Map<String, String> form = new HashMap<>(Map.of("grant_type", ExchangeRequest.GRANT_TYPE,
                "subject_token_type", ExchangeRequest.JWT_TOKEN_TYPE, "subject_token", "a.b.c"));
        for (int i = 0; i < extra.length; i += 2) {
            form.put(extra[i], extra[i + 1]);
        }
        return form;
    }

    private static void refused(Map<String, String> form, String error, String reason) {
        assertThatThrownBy(() -> ExchangeRequest.of(form).tokenScope()).isInstanceOfSatisfying(ExchangeRefusal.class,
                refusal -> {
                    assertThat(refusal.error()).isEqualTo(error);
                    assertThat(refusal.reason()).isEqualTo(reason);
                });
    }

    @Test
    void aScope_isSpaceSeparatedProjectRoles() {
        var scope = ExchangeRequest.of(form("scope", "churn:viewer eval:owner")).tokenScope();
        assertThat(scope.projects()).isEqualTo(Map.of("churn", ProjectRole.VIEWER, "eval", ProjectRole.OWNER));
    }

    @Test
    void noScope_orAnEmptyOne_isTheAccountsAccess_andAnEmptyResourceNamesNone() {
        ExchangeRequest request = ExchangeRequest.of(form("scope", "", "resource", ""));
        assertThat(request.tokenScope()).isNull();
        assertThat(request.target()).isNull();
    }

    @Test
    void aMalformedScope_isInvalidScope() {
        refused(form("scope", "churn"), ExchangeRefusal.INVALID_SCOPE, "invalid-scope");
        refused(form("scope", "churn:admin"), ExchangeRefusal.INVALID_SCOPE, "invalid-scope");
        refused(form("scope", "churn:viewer churn:owner"), ExchangeRefusal.INVALID_SCOPE, "invalid-scope");
        refused(form("scope", "Churn!:viewer"), ExchangeRefusal.INVALID_SCOPE, "invalid-scope");
    }

    @Test
    void theGrantAndTokenTypes_areRequired_andOnlyTheTokenExchangesAreTaken() {
        Map<String, String> noGrant = form();
        noGrant.remove("grant_type");
        refused(noGrant, ExchangeRefusal.INVALID_REQUEST, "malformed-request");
        refused(form("grant_type", "client_credentials"), ExchangeRefusal.UNSUPPORTED_GRANT_TYPE,
                "malformed-request");
        refused(form("subject_token_type", "urn:ietf:params:oauth:token-type:id_token"),
                ExchangeRefusal.INVALID_REQUEST, "malformed-request");
        refused(form("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token"),
                ExchangeRefusal.INVALID_REQUEST, "malformed-request");
        Map<String, String> noToken = form();
        noToken.remove("subject_token");
        refused(noToken, ExchangeRefusal.INVALID_REQUEST, "malformed-request");
    }

    @Test
    void anUnknownField_isRefused() {
        refused(form("audience", "x"), ExchangeRefusal.INVALID_REQUEST, "malformed-request");
    }

    @Test
    void theResource_isAWorkspaceAndAnAccount() {
        assertThat(ExchangeRequest.of(form("resource", "acme/0b5e0c1e-8d1a-4a57-9a0e-3c7f2b1d9e40")).target())
                .isEqualTo(new Target("acme", "0b5e0c1e-8d1a-4a57-9a0e-3c7f2b1d9e40"));
        refused(form("resource", "acme"), ExchangeRefusal.INVALID_TARGET, "unknown-target");
        refused(form("resource", "acme/a/b"), ExchangeRefusal.INVALID_TARGET, "unknown-target");
    }
}
