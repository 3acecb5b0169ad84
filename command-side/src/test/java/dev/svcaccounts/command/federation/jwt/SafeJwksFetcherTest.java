package dev.svcaccounts.command.federation.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import dev.svcaccounts.command.federation.FederationSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static dev.svcaccounts.command.federation.jwt.TestIssuer.EC;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.RSA;
import static dev.svcaccounts.command.federation.jwt.TestIssuer.jwks;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a key fetch reaches, what it accepts and how long it waits, over real HTTP on loopback. */
class SafeJwksFetcherTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final JwksServer server = new JwksServer();
    private final SafeJwksFetcher open = fetcher(true, true);
    private final SafeJwksFetcher byDefault = fetcher(false, false);
    private final SafeJwksFetcher httpButPublicOnly = fetcher(true, false);

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

        assertThat(failure(open, server.uri())).startsWith("timeout");
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

        assertThat(failure(open, server.uri())).startsWith("timeout");
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

    @Test
    void aUriWithUserInformationOrWithoutHost_isRefused() {
        assertThat(failure(open, "http://user:pw@127.0.0.1:" + server.port() + "/jwks")).contains("user information");
        assertThat(failure(open, "https:///jwks")).contains("no host");
        assertThat(failure(open, "file:///etc/passwd")).contains("not https");
        assertThat(server.hits()).isZero();
    }

    private static SafeJwksFetcher fetcher(boolean allowHttp, boolean allowPrivate) {
        return new SafeJwksFetcher(new FederationSettings(allowHttp, allowPrivate), TIMEOUT);
    }

    private static String failure(SafeJwksFetcher fetcher, String uri) {
        JwksFetchException failure = catchThrowableOfType(JwksFetchException.class, () -> fetcher.fetch(uri));
        assertThat(failure).as("the fetch of " + uri + " fails").isNotNull();
        return failure.getMessage();
    }

    /** A server on loopback that gives one connection a fixed answer and closes it. */
    private static final class OneAnswer implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread thread;
        private volatile String request = "";

        OneAnswer(String answer, boolean readRequest) throws IOException {
            thread = new Thread(() -> {
                try (Socket client = socket.accept()) {
                    if (readRequest) {
                        request = readRequest(client);
                    }
                    client.getOutputStream().write(answer.getBytes(UTF_8));
                } catch (IOException e) {
                    // the test sees what the client made of it
                }
            });
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        String request() throws InterruptedException {
            thread.join();
            return request;
        }

        private static String readRequest(Socket client) throws IOException {
            StringBuilder text = new StringBuilder();
            while (!text.toString().endsWith("\r\n\r\n")) {
                int next = client.getInputStream().read();
                if (next < 0) {
                    break;
                }
                text.append((char) next);
            }
            return text.toString();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join();
        }
    }
}
