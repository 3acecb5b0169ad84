package dev.svcaccounts.command.federation.jwt;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static dev.svcaccounts.command.federation.jwt.SafeJwksFetcherTest.failure;
import static dev.svcaccounts.command.federation.jwt.SafeJwksFetcherTest.fetcher;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.RSA;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.jwks;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key fetch cannot be pointed inside our network: with the default settings no request reaches a server on
 * loopback (its hits are counted), and private, link-local and similar addresses are refused before connecting.
 */
class KeyFetchSsrfTest {

    private final JwksServer server = new JwksServer();
    private final SafeJwksFetcher open = fetcher(true, true);
    private final SafeJwksFetcher byDefault = fetcher(false, false);
    private final SafeJwksFetcher httpButPublicOnly = fetcher(true, false);

    KeyFetchSsrfTest() throws IOException {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void httpIsRefusedByDefault_withoutARequest() {
        server.serve(jwks(RSA), null);

        assertThat(failure(byDefault, server.uri())).contains("not https").contains("FEDERATION_ALLOW_HTTP");
        assertThat(failure(fetcher(false, true), server.uri())).contains("not https");
        assertThat(server.hits()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "127.1.2.3", "0.0.0.0"})
    void loopbackIsRefused_byNameOrAddress_withoutARequest(String host) {
        server.serve(jwks(RSA), null);
        String http = server.uri(host, "/.well-known/jwks");

        assertThat(failure(httpButPublicOnly, http)).contains("internal address")
                .contains("FEDERATION_ALLOW_PRIVATE_ISSUERS");
        assertThat(failure(byDefault, http.replace("http://", "https://"))).contains("internal address");
        assertThat(server.hits()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://10.0.0.1/jwks",
        "https://172.20.1.1/jwks",
        "https://192.168.1.10/jwks",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/jwks",
        "https://[fd00::1]/jwks",
        "https://[fe80::1]/jwks",
        "https://[::ffff:169.254.169.254]/jwks",
        "https://[64:ff9b::a9fe:a9fe]/jwks",
        "https://224.0.0.1/jwks"})
    void privateAndLinkLocalAddressesAreRefused_beforeConnecting(String uri) {
        assertThat(failure(byDefault, uri)).contains("internal address");
    }

    @Test
    void aUriWithUserInformationOrWithoutHost_isRefused() {
        assertThat(failure(open, "http://user:pw@127.0.0.1:" + server.port() + "/jwks")).contains("user information");
        assertThat(failure(open, "https:///jwks")).contains("no host");
        assertThat(failure(open, "file:///etc/passwd")).contains("not https");
        assertThat(server.hits()).isZero();
    }
}
