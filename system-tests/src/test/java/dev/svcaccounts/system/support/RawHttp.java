package dev.svcaccounts.system.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} refuses to send (a malformed request
 * line, an encoded '/', a header with control characters, a path it would normalise), and for requests from a chosen
 * local address ({@code 127.0.0.2} is loopback too on Linux: a second client address on one machine). Each request
 * is sent with {@code Connection: close}, and the answer is read to the end of the stream.
 */
public final class RawHttp {

    /** The status, the headers (names in lower case, the last of each) and the body of an answer. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public boolean isProblem() {
            String type = header("Content-Type");
            return type != null && type.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code head} (request line and headers, each ending in CRLF; {@code Host} and {@code Connection: close}
     * are added) and {@code body} as they are.
     */
    public static Answer send(String baseUrl, String head, byte[] body) {
        return sendFrom(null, baseUrl, head, body);
    }

    public static Answer send(String baseUrl, String head) {
        return send(baseUrl, head, new byte[0]);
    }

    /** As {@link #send}, from this local address. */
    public static Answer sendFrom(String localAddress, String baseUrl, String head, byte[] body) {
        try {
            return parse(exchange(localAddress, baseUrl, head, body));
        } catch (IOException e) {
            throw new UncheckedIOException("raw request to " + baseUrl + " failed", e);
        }
    }

    /**
     * As {@link #send}, the answer as it came: the status line, every header in its order, the body as framed
     * (chunks and all).
     */
    public static String sendForText(String baseUrl, String head, byte[] body) {
        return new String(exchange(null, baseUrl, head, body), StandardCharsets.UTF_8);
    }

    private static byte[] exchange(String localAddress, String baseUrl, String head, byte[] body) {
        URI base = URI.create(baseUrl);
        try (Socket socket = new Socket()) {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            }
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(head.getBytes(StandardCharsets.ISO_8859_1));
            request.write(("Host: " + base.getHost() + ":" + base.getPort() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            request.write(body);
            out.write(request.toByteArray());
            out.flush();
            return socket.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("raw request to " + baseUrl + " failed", e);
        }
    }

    private static Answer parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).strip());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            // sizes count bytes: the bodies here are ASCII JSON
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
