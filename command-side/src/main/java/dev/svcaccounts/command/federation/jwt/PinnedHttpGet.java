package dev.svcaccounts.command.federation.jwt;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 GET to an address already checked, never to a second lookup of the URL's host (which could answer
 * otherwise: DNS rebinding); over TLS the certificate must still name the host. No proxy, no redirects, no
 * compression, no keep-alive. Connect and every read time out after {@code timeout}, the whole answer after twice
 * that (a server sending a byte now and then does not hold the exchange), and a body over {@code maxBody} bytes is
 * refused ({@link TooLargeException}).
 */
final class PinnedHttpGet {

    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    record Response(int status, Map<String, String> headers, byte[] body) {

        /** A header's value, repeated ones joined with commas; null when absent. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static final class TooLargeException extends IOException {
        TooLargeException() {
            super("too large", null);
        }
    }

    private PinnedHttpGet() {
    }

    static Response get(URI uri, InetAddress address, Duration timeout, int maxBody) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = open(uri, address, port, https, millis)) {
            long deadline = System.nanoTime() + 2 * timeout.toNanos();
            OutputStream out = socket.getOutputStream();
            out.write(request(uri).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(new DeadlineInputStream(socket.getInputStream(), deadline));
            int status;
            Map<String, String> headers;
            do {
                status = statusOf(readLine(in));
                headers = readHeaders(in);
            } while (status >= 100 && status < 200);
            byte[] body = status == 200 ? readBody(in, headers, maxBody) : new byte[0];
            return new Response(status, headers, body);
        }
    }

    private static Socket open(URI uri, InetAddress address, int port, boolean https, int millis)
            throws IOException {
        Socket socket = new Socket(Proxy.NO_PROXY);
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
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        } catch (GeneralSecurityException e) {
            socket.close();
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

    private static int statusOf(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP answer");
        }
        return Integer.parseInt(parts[1]);
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int bytes = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            bytes += line.length();
            int colon = line.indexOf(':');
            if (bytes > MAX_HEADER_BYTES || colon <= 0) {
                throw new IOException("bad headers");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (first, next) -> first + ", " + next);
        }
        return headers;
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers, int maxBody) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String transferEncoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        String contentLength = headers.get("content-length");
        if (transferEncoding.contains("chunked")) {
            for (long size = chunkSize(readLine(in)); size > 0; size = chunkSize(readLine(in))) {
                copy(in, body, size, maxBody);
                readLine(in);
            }
        } else if (contentLength != null) {
            copy(in, body, lengthOf(contentLength), maxBody);
        } else {
            copy(in, body, -1, maxBody);
        }
        return body.toByteArray();
    }

    private static long lengthOf(String contentLength) throws IOException {
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length");
        }
    }

    private static long chunkSize(String line) throws IOException {
        int extension = line.indexOf(';');
        try {
            return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk");
        }
    }

    /** {@code length} bytes, or (when negative) up to the end of the stream. */
    private static void copy(InputStream in, ByteArrayOutputStream body, long length, int maxBody)
            throws IOException {
        if (length > maxBody - body.size()) {
            throw new TooLargeException();
        }
        byte[] buffer = new byte[8192];
        long left = length < 0 ? Long.MAX_VALUE : length;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                if (length < 0) {
                    return;
                }
                throw new EOFException("answer cut short");
            }
            if (body.size() + read > maxBody) {
                throw new TooLargeException();
            }
            body.write(buffer, 0, read);
            left -= read;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int next = in.read(); next != '\n'; next = in.read()) {
            if (next < 0) {
                throw new EOFException("connection closed");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("line too long");
            }
            line.write(next);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Every read from the socket first checks that the answer is not overdue. */
    private static final class DeadlineInputStream extends FilterInputStream {

        private final long deadline;

        DeadlineInputStream(InputStream in, long deadline) {
            super(in);
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            overdue();
            return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            overdue();
            return super.read(buffer, offset, length);
        }

        private void overdue() throws SocketTimeoutException {
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException("answer overdue");
            }
        }
    }
}
