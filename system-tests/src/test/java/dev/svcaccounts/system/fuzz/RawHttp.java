package dev.svcaccounts.system.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for the requests Java's HTTP client refuses to send (a path with a malformed
 * percent escape such as {@code %zz} or a lone {@code %}) or whose early answer it loses: the request line carries
 * the path byte for byte, the answer is read even when the server closed before taking the whole request, and the
 * connection is closed after it.
 */
final class RawHttp {

    private RawHttp() {
    }

    static Exchange.Answer send(String baseUrl, String method, String rawPath, List<WireRequest.Header> headers,
                                byte[] body, int timeoutMillis) throws IOException {
        URI base = URI.create(baseUrl);
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(timeoutMillis);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            line(request, method + " " + rawPath + " HTTP/1.1");
            line(request, "Host: " + base.getHost() + ":" + base.getPort());
            for (WireRequest.Header header : headers) {
                line(request, header.name() + ": " + header.value());
            }
            if (body != null) {
                line(request, "Content-Length: " + body.length);
            }
            line(request, "Connection: close");
            line(request, "");
            if (body != null) {
                request.writeBytes(body);
            }
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request.toByteArray());
                out.flush();
            } catch (IOException answeredEarly) {
                // the server may refuse before it has read everything (a header too large) and close: its answer
                // is still there to read
            }
            return parse(socket.getInputStream().readAllBytes(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    private static void line(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[]{'\r', '\n'});
    }

    private static Exchange.Answer parse(byte[] response, long millis) throws IOException {
        int end = indexOf(response, new byte[]{'\r', '\n', '\r', '\n'});
        if (end < 0) {
            throw new IOException("no complete answer (" + response.length + " bytes)");
        }
        String[] head = new String(response, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(head[0].split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.computeIfAbsent(head[i].substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(head[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(response, end + 4, response.length);
        boolean chunked = headers.getOrDefault("Transfer-Encoding", List.of()).stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
        if (chunked) {
            body = dechunk(body.clone());
        }
        return new Exchange.Answer(status, HttpHeaders.of(headers, (a, b) -> true),
                new String(body, StandardCharsets.UTF_8), null, millis);
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(chunked);
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            int length = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
            if (length == 0) {
                return out.toByteArray();
            }
            out.writeBytes(in.readNBytes(length));
            in.read();
            in.read();
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
