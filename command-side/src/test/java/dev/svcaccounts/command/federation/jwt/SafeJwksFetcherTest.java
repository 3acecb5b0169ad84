package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import dev.svcaccounts.command.federation.FederationSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static dev.svcaccounts.command.federation.jwt.TestIssuer.EC;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.RSA;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.jwks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What a key fetch accepts and how long it waits, over real HTTP on loopback (what it may reach:
 * {@link KeyFetchSsrfTest}).
 */
class SafeJwksFetcherTest {

    /** For the fetches that must time out. */
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** For the fetches that must not: a loaded machine may take longer than {@link #TIMEOUT} to answer on loopback. */
    private static final Duration PATIENT = Duration.ofSeconds(10);

    private final JwksServer server = new JwksServer();
    private final SafeJwksFetcher open = fetcher(true, true);
    private final SafeJwksFetcher impatient = new SafeJwksFetcher(new FederationSettings(true, true), TIMEOUT);

    SafeJwksFetcherTest() throws IOException {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fetchesTheKeySet_keepingOnlyPublicKeys() throws Exception {
        server.serve(new JWKSet(List.of(RSA, EC)).toString(false), "public, max-age=600");

        SafeJwksFetcher.Fetched fetched = open.fetch(server.uri());

        assertThat(fetched.keys().getKeys()).extracting(key -> key.getKeyID()).containsExactly("rsa-1", "ec-1");
        assertThat(fetched.keys().getKeys()).noneMatch(key -> key.isPrivate());
        assertThat(fetched.maxAge()).isEqualTo(Duration.ofMinutes(10));
        assertThat(server.hits()).isEqualTo(1);
    }

    @Test
    void aKeySetSentInChunks_isRead() throws Exception {
        server.serveChunked(jwks(RSA, EC));

        assertThat(open.fetch(server.uri()).keys().getKeys()).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "null                      | 300",
        "max-age=600               | 600",
        "public, max-age=\"120\"   | 120",
        "max-age=5                 | 60",
        "max-age=0                 | 60",
        "no-store                  | 60",
        "no-cache, max-age=3600    | 60",
        "max-age=9999999999        | 86400",
        "s-maxage=3600             | 300",
        "private                   | 300"})
    void theCacheControlMaxAge_isHonouredWithinBounds(String cacheControl, long seconds) {
        assertThat(SafeJwksFetcher.maxAge(cacheControl)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void aRedirectIsNotFollowed() {
        server.answer(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/moved")) {
                JwksServer.send(exchange, 200, jwks(RSA), null, false);
            } else {
                exchange.getResponseHeaders().set("Location", server.uri("127.0.0.1", "/moved"));
                exchange.sendResponseHeaders(302, -1);
            }
        });

        assertThat(failure(open, server.uri())).contains("redirect (HTTP 302)");
        assertThat(server.hits()).isEqualTo(1);
    }

    @Test
    void anOversizedAnswer_isRefused_withOrWithoutItsLength() {
        String huge = "{\"keys\":[],\"padding\":\"" + "x".repeat(SafeJwksFetcher.MAX_BYTES) + "\"}";
        server.serve(huge, null);
        assertThat(failure(open, server.uri())).contains("larger than 256 KiB");

        server.serveChunked(huge);
        assertThat(failure(open, server.uri())).contains("larger than 256 KiB");
    }

    @Test
    void aServerThatNeverAnswers_timesOut() {
        server.hang();

        assertThat(failure(impatient, server.uri())).startsWith("timeout");
    }

    @Test
    void aServerThatSendsAByteNowAndThen_timesOut_asAWhole() {
        server.answer(exchange -> {
            exchange.sendResponseHeaders(200, 100_000);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100_000; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(TIMEOUT.toMillis() / 3);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThat(failure(impatient, server.uri())).startsWith("timeout");
    }

    @Test
    void httpsToAServerThatSpeaksNoTls_failsItsHandshake() throws Exception {
        try (OneAnswer plain = new OneAnswer("HTTP/1.1 400 Bad Request\r\n\r\n", false)) {
            assertThat(failure(fetcher(false, true), "https://127.0.0.1:" + plain.port() + "/jwks"))
                    .startsWith("the TLS handshake failed");
        }
    }

    @Test
    void anHttp10AnswerEndingWithTheConnection_afterAnInterimAnswer_isRead() throws Exception {
        String answer = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
                + "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\ncache-control: public,\r\n"
                + "Cache-Control: max-age=900\r\n\r\n" + jwks(RSA, EC);
        try (OneAnswer server = new OneAnswer(answer, true)) {
            SafeJwksFetcher.Fetched fetched = open.fetch("http://127.0.0.1:" + server.port() + "/jwks?v=1");

            assertThat(fetched.keys().getKeys()).hasSize(2);
            assertThat(fetched.maxAge()).isEqualTo(Duration.ofMinutes(15));
            assertThat(server.request()).startsWith("GET /jwks?v=1 HTTP/1.1\r\n")
                    .contains("\r\nHost: 127.0.0.1:" + server.port() + "\r\n").contains("Connection: close");
        }
    }

    @Test
    void anAnswerCutShort_isAFailure() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + jwks(RSA);
        try (OneAnswer server = new OneAnswer(answer, true)) {
            assertThat(failure(open, "http://127.0.0.1:" + server.port() + "/jwks"))
                    .startsWith("the connection failed");
        }
    }

    @Test
    void aServerThatIsDown_refusesTheConnection() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }

        assertThat(failure(open, "http://127.0.0.1:" + port + "/jwks")).isEqualTo("connection refused");
    }

    @Test
    void anErrorStatusOrAnAnswerThatIsNoKeySet_isRefused() {
        server.answer(exchange -> JwksServer.send(exchange, 500, "{\"keys\":[]}", null, false));
        assertThat(failure(open, server.uri())).isEqualTo("it answered HTTP 500");

        server.serve("<html>maintenance</html>", null);
        assertThat(failure(open, server.uri())).isEqualTo("its answer is not a JWK set");

        server.serve("{\"issuer\":\"https://token.actions.githubusercontent.com\"}", null);
        assertThat(failure(open, server.uri())).isEqualTo("its answer is not a JWK set");
    }

    static SafeJwksFetcher fetcher(boolean allowHttp, boolean allowPrivate) {
        return new SafeJwksFetcher(new FederationSettings(allowHttp, allowPrivate), PATIENT);
    }

    static String failure(SafeJwksFetcher fetcher, String uri) {
        JwksFetchException failure = catchThrowableOfType(JwksFetchException.class, () -> fetcher.fetch(uri));
        assertThat(failure).as("the fetch of " + uri + " fails").isNotNull();
        return failure.getMessage();
    }
}
