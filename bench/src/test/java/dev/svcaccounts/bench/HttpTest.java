package dev.svcaccounts.bench;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpTest {

    private TestServer server;
    private Http http;

    @BeforeEach
    void start() throws IOException {
        server = new TestServer();
        http = new Http(server.url(), server.url());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void answersWithAContentLengthComeOverOneKeptAliveConnection() {
        for (int i = 0; i < 5; i++) {
            Http.Reply reply = http.query("GET", "/length?i=" + i, "t");
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("{\"path\":\"/length?i=" + i + "\",\"name\":\"Zoë\"}"); // UTF-8
            assertThat(reply.json().get("name").asText()).isEqualTo("Zoë");
            assertThat(reply.receivedNanos()).isGreaterThanOrEqualTo(reply.sentNanos());
        }
        Http.Reply missing = http.query("GET", "/missing", "t");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("no such path");

        assertThat(server.accepted.get()).isEqualTo(1);
        assertThat(server.received).hasSize(6).allSatisfy(r -> assertThat(r.connection()).isEqualTo(1));
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndATrailerAndKeepsTheConnection() {
        Http.Reply chunked = http.query("GET", "/chunked", "t");
        assertThat(chunked.status()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo(TestServer.CHUNKED_BODY);

        Http.Reply next = http.query("GET", "/length", "t"); // the chunked body was read up to its very end
        assertThat(next.status()).isEqualTo(200);
        assertThat(server.accepted.get()).isEqualTo(1);
    }

    @Test
    void afterConnectionCloseTheNextRequestOpensANewConnection() {
        assertThat(http.query("GET", "/length", "t").status()).isEqualTo(200);
        Http.Reply closing = http.query("GET", "/close", "t");
        assertThat(closing.status()).isEqualTo(200);
        assertThat(closing.body()).isEqualTo("bye");

        assertThat(http.query("GET", "/length", "t").status()).isEqualTo(200);
        assertThat(server.accepted.get()).isEqualTo(2);
        assertThat(server.received).extracting(TestServer.Received::connection).containsExactly(1, 1, 2);
    }

    @Test
    void aKeptAliveConnectionTheServerClosedWhileIdleIsReplacedWithoutAnError() throws Exception {
        assertThat(http.query("GET", "/idle-close", "t").status()).isEqualTo(200);
        assertThat(server.idleClosed.tryAcquire(5, TimeUnit.SECONDS)).isTrue(); // the server has closed it

        Http.Reply reply = http.command("POST", "/length", "t", Map.of("a", 1));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(server.accepted.get()).isEqualTo(2);
        assertThat(server.received).extracting(TestServer.Received::connection).containsExactly(1, 2);
    }

    @Test
    void aRequestIsRetriedOnlyOnceAndOnlyOnAConnectionThatHadServedBefore() {
        Http.Reply fresh = http.query("GET", "/drop", "t"); // a new connection that fails: no retry
        assertThat(fresh.status()).isZero();
        assertThat(fresh.body()).startsWith("GET /drop failed: ");
        assertThat(server.accepted.get()).isEqualTo(1);

        assertThat(http.query("GET", "/length", "t").status()).isEqualTo(200); // connection 2
        Http.Reply reused = http.query("GET", "/drop", "t"); // dropped on 2, retried once on 3, dropped again
        assertThat(reused.status()).isZero();
        assertThat(server.accepted.get()).isEqualTo(3);
        assertThat(server.received).extracting(TestServer.Received::connection).containsExactly(1, 2, 2, 3);
    }

    @Test
    void aRequestThatFailsAfterTheAnswerStartedIsNotRetried() {
        assertThat(http.query("GET", "/length", "t").status()).isEqualTo(200);
        Http.Reply cut = http.query("GET", "/cut", "t"); // the server stops in the middle of the body
        assertThat(cut.status()).isZero();
        assertThat(server.accepted.get()).isEqualTo(1);

        assertThat(http.query("GET", "/length", "t").status()).isEqualTo(200); // on a new connection
        assertThat(server.accepted.get()).isEqualTo(2);
    }

    @Test
    void sendsTheMethodPathHeadersAndBodyItWasGiven() {
        http.command("POST", "/v1/workspaces/w1/service-accounts", "tok-1", Map.of("displayName", "Zoë"));
        http.introspect("operator", "a b+c");
        http.query("GET", "/v1/workspaces/w1/projects?limit=5&after=p%201", "tok-2");
        http.command("DELETE", "/v1/workspaces/w1/service-accounts/a1", "tok-3", null);

        List<TestServer.Received> received = server.received;
        assertThat(received).hasSize(4);
        String host = "127.0.0.1:" + server.port();

        TestServer.Received create = received.get(0);
        assertThat(create.requestLine()).isEqualTo("POST /v1/workspaces/w1/service-accounts HTTP/1.1");
        assertThat(create.headers()).containsExactly(
                Map.entry("Host", host),
                Map.entry("Authorization", "Bearer tok-1"),
                Map.entry("Accept", "application/json, application/problem+json"),
                Map.entry("User-Agent", "svcaccounts-bench"),
                Map.entry("Content-Type", "application/json"),
                Map.entry("Content-Length", "22")); // bytes, not characters: ë is two
        assertThat(create.body()).isEqualTo("{\"displayName\":\"Zoë\"}");

        TestServer.Received introspect = received.get(1);
        assertThat(introspect.requestLine()).isEqualTo("POST /v1/introspect HTTP/1.1");
        assertThat(introspect.headers()).containsEntry("Authorization", "Bearer operator")
                .containsEntry("Content-Type", "application/x-www-form-urlencoded")
                .containsEntry("Content-Length", "13");
        assertThat(introspect.body()).isEqualTo("token=a+b%2Bc");

        TestServer.Received list = received.get(2);
        assertThat(list.requestLine()).isEqualTo("GET /v1/workspaces/w1/projects?limit=5&after=p%201 HTTP/1.1");
        assertThat(list.headers()).containsOnlyKeys("Host", "Authorization", "Accept", "User-Agent");
        assertThat(list.body()).isEmpty();

        TestServer.Received delete = received.get(3);
        assertThat(delete.requestLine()).isEqualTo("DELETE /v1/workspaces/w1/service-accounts/a1 HTTP/1.1");
        assertThat(delete.headers()).containsOnlyKeys("Host", "Authorization", "Accept", "User-Agent");
    }

    @Test
    void aTokenExchangeIsAFormWithNoAuthorizationHeader() {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        form.put("subject_token", "a.b-_.c");
        form.put("resource", "w1/a1");
        http.exchange(form);

        TestServer.Received exchange = server.received.get(0);
        assertThat(exchange.requestLine()).isEqualTo("POST /v1/token HTTP/1.1");
        assertThat(exchange.headers()).doesNotContainKey("Authorization")
                .containsEntry("Content-Type", "application/x-www-form-urlencoded");
        assertThat(exchange.body()).isEqualTo("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
                + "&subject_token=a.b-_.c&resource=w1%2Fa1");
    }

    @Test
    void eachThreadHasItsOwnConnection() throws Exception {
        assertThat(http.query("GET", "/length", "t").status()).isEqualTo(200);
        AtomicReference<Http.Reply> other = new AtomicReference<>();
        Thread thread = new Thread(() -> other.set(http.query("GET", "/length", "t")));
        thread.start();
        thread.join(10_000);
        assertThat(other.get().status()).isEqualTo(200);
        assertThat(http.query("GET", "/length", "t").status()).isEqualTo(200);
        assertThat(server.received).extracting(TestServer.Received::connection).containsExactly(1, 2, 1);
    }

    @Test
    void aServerThatIsNotThereGivesStatusZero() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Http.Reply reply = new Http("http://127.0.0.1:" + port, "http://127.0.0.1:" + port).query("GET", "/x", "t");
        assertThat(reply.status()).isZero();
        assertThat(reply.body()).startsWith("GET /x failed: java.net.ConnectException");
    }

    @Test
    void onlyPlainHttpBaseUrls() {
        assertThatThrownBy(() -> new Http("https://127.0.0.1:8443", server.url()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only http://");
    }

    /**
     * A scripted HTTP/1.1 server on a free port, a thread per connection; the answer depends on the path:
     * {@code /length*}: a Content-Length body; {@code /chunked}: a chunked one; {@code /close}: an answer with
     * {@code Connection: close}, then it closes; {@code /idle-close}: an ordinary answer, then it closes as an
     * idle timeout would; {@code /drop}: closes without answering; {@code /cut}: closes in the middle of the body.
     */
    private static final class TestServer implements AutoCloseable {

        static final String CHUNKED_BODY = "{\"items\":[\"één\",\"two\",\"three\"],\"more\":false}";

        record Received(int connection, String requestLine, Map<String, String> headers, String body) {
        }

        final AtomicInteger accepted = new AtomicInteger();
        final List<Received> received = new CopyOnWriteArrayList<>();
        final Semaphore idleClosed = new Semaphore(0);
        private final ServerSocket serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        TestServer() throws IOException {
            Thread acceptor = new Thread(this::acceptLoop, "test-http-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return serverSocket.getLocalPort();
        }

        String url() {
            return "http://127.0.0.1:" + port();
        }

        @Override
        public void close() throws IOException {
            serverSocket.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket socket = serverSocket.accept();
                    sockets.add(socket);
                    int number = accepted.incrementAndGet();
                    Thread thread = new Thread(() -> serve(socket, number), "test-http-connection-" + number);
                    thread.setDaemon(true);
                    thread.start();
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private void serve(Socket socket, int number) {
            try (socket) {
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return; // the client closed it
                    }
                    String[] lines = head.split("\r\n");
                    Map<String, String> headers = new LinkedHashMap<>();
                    for (int i = 1; i < lines.length; i++) {
                        int colon = lines[i].indexOf(':');
                        headers.put(lines[i].substring(0, colon), lines[i].substring(colon + 1).trim());
                    }
                    int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
                    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    received.add(new Received(number, lines[0], headers, body));
                    if (!answer(lines[0].split(" ")[1], out)) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        /** Writes the answer to a request for {@code path}; false when the connection is to be closed. */
        private boolean answer(String path, OutputStream out) throws IOException {
            if (path.startsWith("/length")) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n",
                        "{\"path\":\"" + path + "\",\"name\":\"Zoë\"}");
                return true;
            }
            switch (path) {
                case "/chunked" -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n"));
                    out.flush();
                    byte[] body = CHUNKED_BODY.getBytes(StandardCharsets.UTF_8);
                    int[] cuts = {0, 5, 13, 14, body.length};
                    for (int i = 0; i + 1 < cuts.length; i++) {
                        String extension = i == 1 ? ";name=\"value\";flag" : "";
                        out.write(ascii(Integer.toHexString(cuts[i + 1] - cuts[i]) + extension + "\r\n"));
                        out.write(body, cuts[i], cuts[i + 1] - cuts[i]);
                        out.write(ascii("\r\n"));
                        out.flush(); // in pieces, as a streaming server sends them
                    }
                    out.write(ascii("0;last\r\nX-Checksum: 1234\r\nX-Other: yes\r\n\r\n"));
                    out.flush();
                    return true;
                }
                case "/close" -> {
                    write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\n", "bye");
                    return false;
                }
                case "/idle-close" -> {
                    write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", "{}");
                    out.close(); // and with it the socket, as an idle timeout would
                    idleClosed.release();
                    return false;
                }
                case "/drop" -> {
                    return false;
                }
                case "/cut" -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":"));
                    out.flush();
                    return false;
                }
                default -> {
                    write(out, "HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\n",
                            "{\"title\":\"no such path\"}");
                    return true;
                }
            }
        }

        private static void write(OutputStream out, String statusAndHeaders, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(ascii(statusAndHeaders + "Content-Length: " + bytes.length + "\r\n\r\n"));
            out.write(bytes);
            out.flush();
        }

        /** The request line and headers without the empty line that ends them; null at the end of the stream. */
        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    return text.substring(0, text.length() - 4);
                }
            }
            return null;
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
