package dev.svcaccounts.command.leakreport;

import dev.svcaccounts.events.TokenSecret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which reported credentials are worth a look-up: told offline, by prefix and checksum. */
class LeakedTokenReportsTest {

    @Test
    void usersAndServiceAccountsTokens_asIssued_areLookedUp() {
        assertThat(LeakedTokenReports.isPrincipalToken(TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX)))
                .isTrue();
        assertThat(LeakedTokenReports.isPrincipalToken(TokenSecret.generate(TokenSecret.USER_PREFIX))).isTrue();
    }

    @Test
    void anythingElse_isNot_theOperatorsAndIntrospectionClientsSecretsIncluded() {
        String token = TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);
        char last = token.charAt(token.length() - 1);
        String typo = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(LeakedTokenReports.isPrincipalToken(typo)).as("checksum").isFalse();
        assertThat(LeakedTokenReports.isPrincipalToken(token + "x")).as("length").isFalse();
        assertThat(LeakedTokenReports.isPrincipalToken(TokenSecret.generate(TokenSecret.INTROSPECTION_CLIENT_PREFIX)))
                .isFalse();
        assertThat(LeakedTokenReports.isPrincipalToken(TokenSecret.generate(TokenSecret.OPERATOR_PREFIX))).isFalse();
        assertThat(LeakedTokenReports.isPrincipalToken("operator-credential-0123456789abcdef0123456789")).isFalse();
        assertThat(LeakedTokenReports.isPrincipalToken("")).isFalse();
    }
}
