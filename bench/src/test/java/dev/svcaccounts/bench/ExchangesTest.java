package dev.svcaccounts.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangesTest {

    @Test
    void enoughAccountsForTheAssumedRateAtHalfTheirLimit() {
        assertThat(Exchanges.accountsNeeded()).isEqualTo(120); // 1000/s x 60 s / 500 tokens
    }

    @Test
    void eachJwtIsSignedWithTheWorkspaceKeyAndHasItsOwnJti() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Exchanges.Target target = new Exchanges.Target("bench-01", "acc-1", "https://bench-issuer.invalid/bench-01",
                "bench-bench-01", pair.getPrivate());
        Signature signer = Signature.getInstance("SHA256withRSA");

        String first = Exchanges.jwt(signer, target, 1_800_000_000L);
        String second = Exchanges.jwt(signer, target, 1_800_000_000L);

        String[] parts = first.split("\\.");
        assertThat(parts).hasSize(3);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(pair.getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        JsonNode header = Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("kid").asText()).isEqualTo("bench-bench-01");
        JsonNode claims = Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("iss").asText()).isEqualTo("https://bench-issuer.invalid/bench-01");
        assertThat(claims.path("aud").asText()).isEqualTo("bench");
        assertThat(claims.path("sub").asText()).isEqualTo("repo:bench/bench-01:ref:refs/heads/main");
        assertThat(claims.path("repository").asText()).isEqualTo("bench/bench-01");
        assertThat(claims.path("nbf").asLong()).isEqualTo(1_800_000_000L);
        assertThat(claims.path("exp").asLong()).isEqualTo(1_800_000_300L);
        JsonNode secondClaims = Http.JSON.readTree(Base64.getUrlDecoder().decode(second.split("\\.")[1]));
        assertThat(secondClaims.path("jti").asText()).isNotEqualTo(claims.path("jti").asText());
    }
}
