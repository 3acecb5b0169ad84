package dev.svcaccounts.command.federation.jwt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** An issuer's key endpoint on loopback, whose answer a test sets, counting the requests it gets. */
final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger hits = new AtomicInteger();
    /** Released when the server closes: what a handler that never answers waits for. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile HttpHandler answer = exchange -> send(exchange, 404, "{}", null, false);

    JwksServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            try (exchange) {
                answer.handle(exchange);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** This server's {@code path} as {@code host} names it. */
    String uri(String host, String path) {
        return "http://" + host + ":" + port() + path;
    }

    String uri() {
        return uri("127.0.0.1", "/.well-known/jwks");
    }

    int hits() {
        return hits.get();
    }

    /** Every request gets this JWK set, with this Cache-Control (none when null). */
    void serve(String jwks, String cacheControl) {
        answer = exchange -> send(exchange, 200, jwks, cacheControl, false);
    }

    /** The same, without a Content-Length: in chunks. */
    void serveChunked(String jwks) {
        answer = exchange -> send(exchange, 200, jwks, null, true);
    }

    void answer(HttpHandler handler) {
        answer = handler;
    }

    /** Accepts the request and never answers (until the server closes). */
    void hang() {
        answer = exchange -> {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    static void send(HttpExchange exchange, int status, String body, String cacheControl, boolean chunked)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (cacheControl != null) {
            exchange.getResponseHeaders().set("Cache-Control", cacheControl);
        }
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
