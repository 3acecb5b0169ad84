package dev.svcaccounts.command.federation.jwt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static java.nio.charset.StandardCharsets.UTF_8;

/** A server on loopback that gives one connection a fixed answer and closes it. */
final class OneAnswer implements AutoCloseable {

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
