package dev.svcaccounts.command.federation.jwt;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 GET to an address already checked, never to a second lookup of the URL's host (which could answer
 * otherwise: DNS rebinding); over TLS the certificate must still name the host. No proxy, no redirects, no
 * compression, no keep-alive. Connect and every read time out after {@code timeout}, the whole fetch (TLS handshake
 * included) after three times that (a server sending a byte now and then does not hold the exchange), and a body over
 * {@code maxBody} bytes is refused ({@link HttpAnswer.TooLargeException}).
 */
final class PinnedHttpGet {

    /** Closes a fetch's socket when its time is up, whatever it is waiting for (TLS handshake included). */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private PinnedHttpGet() {
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "jwks-fetch-deadline");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true);
        return deadlines;
    }

    static HttpAnswer get(URI uri, InetAddress address, Duration timeout, int maxBody) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 3, timeout.toMillis()));
        Socket plain = new Socket(Proxy.NO_PROXY);
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> closeQuietly(plain), 3L * millis,
                TimeUnit.MILLISECONDS);
        try (Socket socket = open(plain, uri, address, port, https, millis)) {
            OutputStream out = socket.getOutputStream();
            out.write(request(uri).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return HttpAnswer.read(new BufferedInputStream(socket.getInputStream()), maxBody);
        } catch (IOException e) {
            // not isDone(): the deadline's close wakes this thread before its task has returned
            if (deadline.getDelay(TimeUnit.NANOSECONDS) <= 0) {
                throw new SocketTimeoutException("answer overdue");
            }
            throw e;
        } finally {
            deadline.cancel(false);
            closeQuietly(plain);
        }
    }

    private static Socket open(Socket socket, URI uri, InetAddress address, int port, boolean https, int millis)
            throws IOException {
        try {
            socket.connect(new InetSocketAddress(address, port), millis);
            socket.setSoTimeout(millis);
            if (!https) {
                return socket;
            }
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                    : uri.getHost();
            SSLSocket tls = (SSLSocket) SSLContext.getDefault().getSocketFactory()
                    .createSocket(socket, host, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(millis);
            tls.startHandshake();
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS", e);
        }
    }

    private static String request(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        return "GET " + path + query + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Accept: application/jwk-set+json, application/json\r\n"
                + "User-Agent: svcaccounts-jwks-fetcher\r\n"
                + "Connection: close\r\n\r\n";
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
    }
}
