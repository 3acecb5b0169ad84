package dev.svcaccounts.command.leakreport;

import dev.svcaccounts.credentials.CredentialStore;
import dev.svcaccounts.events.TokenSecret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which reported credentials {@link LeakedTokenReports} looks up: told offline, by prefix and checksum. */
class LeakedTokenReportsTest {

    @Test
    void usersAndServiceAccountsTokens_asIssued_areLookedUp() {
        assertThat(CredentialStore.isPrincipalSecret(TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX)))
                .isTrue();
        assertThat(CredentialStore.isPrincipalSecret(TokenSecret.generate(TokenSecret.USER_PREFIX))).isTrue();
    }

    @Test
    void anythingElse_isNot_theOperatorsAndIntrospectionClientsSecretsIncluded() {
        String token = TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);
        char last = token.charAt(token.length() - 1);
        String typo = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(CredentialStore.isPrincipalSecret(typo)).as("checksum").isFalse();
        assertThat(CredentialStore.isPrincipalSecret(token + "x")).as("length").isFalse();
        assertThat(CredentialStore.isPrincipalSecret(TokenSecret.generate(TokenSecret.INTROSPECTION_CLIENT_PREFIX)))
                .isFalse();
        assertThat(CredentialStore.isPrincipalSecret(TokenSecret.generate(TokenSecret.OPERATOR_PREFIX))).isFalse();
        assertThat(CredentialStore.isPrincipalSecret("operator-credential-0123456789abcdef0123456789")).isFalse();
        assertThat(CredentialStore.isPrincipalSecret("")).isFalse();
    }
}
