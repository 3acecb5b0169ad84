package dev.svcaccounts.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One kept-alive HTTP/1.1 connection on a plain blocking {@link Socket}, used by one thread: {@link #exchange}
 * writes a whole request in one write and reads the whole answer, its body by {@code Content-Length}, chunked, or
 * up to the end of the stream. No TLS, no pipelining, no compression.
 */
final class HttpConnection implements Closeable {

    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final int MAX_LINE = 64 * 1024;

    /** Where a base URL such as {@code http://127.0.0.1:8081} points; {@code basePath} without a trailing slash. */
    record Endpoint(String host, int port, String authority, String basePath) {

        static Endpoint parse(String baseUrl) {
            URI uri = URI.create(baseUrl);
            if (!"http".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("only http:// base URLs are supported (no TLS): " + baseUrl);
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host in " + baseUrl);
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            return new Endpoint(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), uri.getRawAuthority(),
                    path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        }
    }

    /** A final answer; {@code keepAlive} false when the connection must not be used again. */
    record Response(int status, String body, boolean keepAlive) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int exchanges;
    private boolean answerStarted;

    private HttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    static HttpConnection open(Endpoint endpoint) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new HttpConnection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Whether an earlier exchange completed on it: a failure may then mean the server closed it while idle. */
    boolean reused() {
        return exchanges > 0;
    }

    /** Whether the last {@link #exchange} got at least one byte of its answer before it failed. */
    boolean answerStarted() {
        return answerStarted;
    }

    /** Sends {@code request} (request line, headers and body) and reads the answer; {@code head}: a HEAD request. */
    Response exchange(byte[] request, boolean head) throws IOException {
        answerStarted = false;
        out.write(request);
        out.flush();
        int first = in.read();
        if (first < 0) {
            throw new EOFException("the connection was closed before the answer");
        }
        answerStarted = true;
        String statusLine = (char) first + readLine();
        while (true) {
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x status line: " + statusLine);
            }
            int status = parseStatus(parts[1]);
            Map<String, String> headers = readHeaders();
            if (status < 200) { // 100 Continue and other interim answers: the final one follows
                statusLine = readLine();
                continue;
            }
            boolean keepAlive = keepAlive(parts[0], headers.get("connection"));
            byte[] body;
            if (head || status == 204 || status == 304) {
                body = new byte[0];
            } else if (isChunked(headers.get("transfer-encoding"))) {
                body = readChunked();
            } else if (headers.containsKey("content-length")) {
                body = readExactly(parseLength(headers.get("content-length")));
            } else {
                body = in.readAllBytes(); // delimited by the end of the connection
                keepAlive = false;
            }
            exchanges++;
            return new Response(status, new String(body, StandardCharsets.UTF_8), keepAlive);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do: the connection is not used again
        }
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("not a header line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.merge(name, line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        return headers;
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';'); // chunk extensions: ignored
            long size = parseSize(semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon));
            if (size == 0) {
                readHeaders(); // the trailer: ignored
                return body.toByteArray();
            }
            body.write(readExactly(size));
            if (!readLine().isEmpty()) {
                throw new IOException("no line end after a chunk of " + size + " bytes");
            }
        }
    }

    private byte[] readExactly(long length) throws IOException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("body too large: " + length + " bytes");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("the connection was closed after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    /** One line up to LF, without its CR LF; ISO-8859-1, as header bytes are. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("the connection was closed in the middle of a line");
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("a line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }

    private static boolean keepAlive(String version, String connection) {
        boolean close = false;
        boolean keepAlive = false;
        if (connection != null) {
            for (String token : connection.split(",")) {
                close |= token.trim().equalsIgnoreCase("close");
                keepAlive |= token.trim().equalsIgnoreCase("keep-alive");
            }
        }
        return !close && (keepAlive || !version.equals("HTTP/1.0"));
    }

    /** Chunked when it is the last transfer coding; any other one is read up to the end of the connection. */
    private static boolean isChunked(String transferEncoding) {
        if (transferEncoding == null) {
            return false;
        }
        String[] codings = transferEncoding.split(",");
        return codings[codings.length - 1].trim().equalsIgnoreCase("chunked");
    }

    private static int parseStatus(String text) throws IOException {
        try {
            int status = Integer.parseInt(text);
            if (status >= 100 && status <= 999) {
                return status;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IOException("not a status code: " + text);
    }

    private static long parseLength(String text) throws IOException {
        try {
            long length = Long.parseLong(text.trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IOException("not a Content-Length: " + text);
    }

    private static long parseSize(String hex) throws IOException {
        try {
            long size = Long.parseLong(hex.trim(), 16);
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IOException("not a chunk size: " + hex);
    }
}
