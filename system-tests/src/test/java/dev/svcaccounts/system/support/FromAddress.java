package dev.svcaccounts.system.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests sent from a chosen loopback address (any of 127.0.0.0/8 works on Linux), so that tests can be different
 * clients as the server sees them: what is counted per client address (failed authentications) can be tested per
 * test. Java 17's HTTP client cannot choose its local address, hence a plain HTTP/1.0 exchange over a socket.
 */
public final class FromAddress {

    private final String localAddress;

    public FromAddress(String localAddress) {
        this.localAddress = localAddress;
    }

    public String address() {
        return localAddress;
    }

    /** {@code method path} on {@code baseUrl} with this bearer token (none if null) and this JSON body (or null). */
    public Response send(String baseUrl, String method, String path, String token, String jsonBody) {
        return send(baseUrl, method, path, token == null ? null : "Bearer " + token,
                jsonBody == null ? null : "application/json", jsonBody);
    }

    /** {@code POST path} with this {@code Authorization} (none if null) and an urlencoded form body. */
    public Response postForm(String baseUrl, String path, String authorization, String form) {
        return send(baseUrl, "POST", path, authorization, "application/x-www-form-urlencoded", form);
    }

    /** {@code method path} with this {@code Authorization} and {@code Content-Type} (each none if null) and body. */
    public Response send(String baseUrl, String method, String path, String authorization, String contentType,
                         String text) {
        URI base = URI.create(baseUrl);
        byte[] body = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.0\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                .append("User-Agent: from-address-test\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return parse(method, baseUrl + path, readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " from " + localAddress, e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    private static Response parse(String method, String uri, byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        return new Response(method, uri, status, HttpHeaders.of(headers, (name, value) -> true),
                end < 0 ? "" : text.substring(end + 4));
    }
}
