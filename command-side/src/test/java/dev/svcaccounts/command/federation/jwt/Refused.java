package dev.svcaccounts.command.federation.jwt;

import static dev.svcaccounts.command.federation.jwt.TestIssuer.SUBJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

final class Refused {

    private Refused() {
    }

    /** Refused as expected, with a description that repeats no part of the JWT. */
    static void assertRefused(Runnable attempt, String token, String error, String reason) {
        ExchangeRefusal refusal = catchThrowableOfType(ExchangeRefusal.class, attempt::run);
        assertThat(refusal).as("refused").isNotNull();
        assertThat(refusal.error()).isEqualTo(error);
        assertThat(refusal.reason()).isEqualTo(reason);
        assertThat(refusal.description()).isNotBlank();
        for (String part : token.split("\\.")) {
            if (part.length() > 8) {
                assertThat(refusal.description()).doesNotContain(part);
            }
        }
        assertThat(refusal.description()).doesNotContain(SUBJECT);
    }
}
