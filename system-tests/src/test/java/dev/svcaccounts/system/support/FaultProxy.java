package dev.svcaccounts.system.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy between an application and PostgreSQL that breaks connections the way a dying server or a network
 * does, at a chosen moment: it cuts the next connection whose client sends a statement containing some text
 * (before that statement reaches the server, or after the server has received it but before its answer gets
 * back), or it stops relaying anything at all, as a network that silently drops packets. It also counts the
 * statements that contain some text ({@link #count}).
 *
 * <p>The statement text is only on the wire while the driver does not use server-side prepared statements:
 * {@link #database} adds {@code prepareThreshold=0} to the URL the application gets.
 */
public final class FaultProxy implements AutoCloseable {

    /** Where a cut happens relative to the statement it waits for. */
    public enum When {
        /** The statement never reaches the server: the server sees the connection end, its transaction rolls back. */
        BEFORE_THE_SERVER_GETS_IT,
        /** The server runs the statement; its answer is lost with the connection. */
        BEFORE_THE_ANSWER
    }

    private record Fault(String statementText, When when, CountDownLatch done) {
    }

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Fault> armed = new AtomicReference<>();
    private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
    private volatile boolean droppingEverything;
    private volatile boolean closed;

    private FaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on a free loopback port, relaying to {@code localhost:targetPort}. */
    public static FaultProxy to(int targetPort) {
        try {
            return new FaultProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same database as {@code direct}, reached through this proxy. */
    public Database database(Database direct) {
        String url = direct.url().replaceFirst(":\\d+/", ":" + listener.getLocalPort() + "/");
        return new Database(url + (url.contains("?") ? "&" : "?") + "prepareThreshold=0", direct.user(),
                direct.password());
    }

    /**
     * Cuts the next connection whose client sends a statement containing {@code statementText}, once. Returns a
     * latch that opens when the cut has happened.
     */
    public CountDownLatch cutOnce(String statementText, When when) {
        Fault fault = new Fault(statementText, when, new CountDownLatch(1));
        if (!armed.compareAndSet(null, fault)) {
            throw new IllegalStateException("a cut is already waiting: " + armed.get().statementText());
        }
        return fault.done();
    }

    /**
     * From now on, counts the statements sent through this proxy (on any connection) that contain
     * {@code statementText}: the counter returned grows by one for each.
     */
    public AtomicInteger count(String statementText) {
        AtomicInteger counter = new AtomicInteger();
        counters.put(statementText, counter);
        return counter;
    }

    /** Forgets a cut that has not happened. */
    public void disarm() {
        armed.set(null);
    }

    /**
     * Stops relaying in both directions and lets nothing through new connections: what a client sees when the
     * network silently drops every packet (its writes succeed, no answer ever comes).
     */
    public void dropEverything() {
        droppingEverything = true;
    }

    /** Relays again; connections that lost data meanwhile are broken for good and get cut. */
    public void resume() {
        droppingEverything = false;
        sockets.forEach(FaultProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                Link link = new Link(client, server);
                start(() -> link.pump(client, server, true), "fault-proxy-up");
                start(() -> link.pump(server, client, false), "fault-proxy-down");
            } catch (IOException e) {
                if (!closed) {
                    sleepBriefly();
                }
            }
        }
    }

    /** One proxied connection: the client's socket and the one to the server. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private volatile Fault cutOnAnswer;
        /** The end of what the client sent last, so that a statement split across two reads is still found. */
        private String tail = "";

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to, boolean fromClient) {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    if (droppingEverything) {
                        continue;
                    }
                    if (fromClient && cutBeforeForwarding(new String(buffer, 0, read, StandardCharsets.ISO_8859_1))) {
                        return;
                    }
                    if (!fromClient && cutOnAnswer != null) {
                        cut(cutOnAnswer);
                        return;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // the other pump or a cut closed the sockets
            } finally {
                close();
            }
        }

        private boolean cutBeforeForwarding(String chunk) {
            String seen = tail + chunk;
            int before = tail.length();
            tail = seen.substring(Math.max(0, seen.length() - 256));
            counters.forEach((text, counter) -> {
                // only statements that end in this chunk, as for a cut
                for (int at = seen.indexOf(text, Math.max(0, before - text.length() + 1)); at >= 0;
                     at = seen.indexOf(text, at + text.length())) {
                    counter.incrementAndGet();
                }
            });
            Fault fault = armed.get();
            if (fault == null) {
                return false;
            }
            // only a statement that ends in this chunk: one sent before the cut was armed does not count
            int from = Math.max(0, before - fault.statementText().length() + 1);
            if (seen.indexOf(fault.statementText(), from) < 0 || !armed.compareAndSet(fault, null)) {
                return false;
            }
            if (fault.when() == When.BEFORE_THE_SERVER_GETS_IT) {
                cut(fault);
                return true;
            }
            cutOnAnswer = fault;
            return false;
        }

        private void cut(Fault fault) {
            close();
            fault.done().countDown();
        }

        private void close() {
            closeQuietly(client);
            closeQuietly(server);
            sockets.remove(client);
            sockets.remove(server);
        }
    }

    private static void start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // a reset, as when the peer is gone
        } catch (SocketException e) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private static void sleepBriefly() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for {@code cut} and fails the test if it has not happened within {@code atMost}. */
    public static void awaitCut(CountDownLatch cut, Duration atMost) {
        try {
            if (!cut.await(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the connection was not cut within " + atMost);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // nothing to do
        }
        sockets.forEach(FaultProxy::closeQuietly);
    }
}
