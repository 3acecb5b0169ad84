package dev.svcaccounts.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that another process binds later (PostgreSQL, a node process, nginx). A port that was free a
 * moment ago is not reserved: any process on the machine may be given it meanwhile, by the kernel (to another
 * {@code bind(0)} or as the local port of an outgoing connection) or by a second test run that looked at the same
 * moment. So these come from below the kernel's ephemeral range (which the kernel never hands out), and each is
 * held for the rest of this JVM by a lock on a file named after it in a directory all runs on the machine share
 * (released by the operating system when the JVM ends, even on SIGKILL).
 */
public final class Ports {

    private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "svcaccounts-system-test-ports");
    private static final int LOWEST = 20_000;
    private static final List<FileLock> HELD = new ArrayList<>();

    private Ports() {
    }

    /** A loopback port nobody listens on, outside the ephemeral range, that no other test run will be given. */
    public static synchronized int reserve() {
        int highest = ephemeralRangeStart() - 1;
        try {
            Files.createDirectories(LOCKS);
            for (int attempt = 0; attempt < 1000; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
                FileLock lock = lock(port);
                if (lock == null) {
                    continue;
                }
                if (isFree(port)) {
                    HELD.add(lock);
                    return port;
                }
                lock.channel().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + highest);
    }

    private static FileLock lock(int port) throws IOException {
        FileChannel channel = FileChannel.open(LOCKS.resolve(port + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
            }
            return lock;
        } catch (OverlappingFileLockException e) { // held by this JVM already
            channel.close();
            return null;
        }
    }

    /** Nothing bound to it, on any address (PostgreSQL listens on both loopback addresses). */
    private static boolean isFree(int port) {
        for (InetAddress address : List.of(InetAddress.getLoopbackAddress(), anyAddress())) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(address, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByName("0.0.0.0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first port the kernel gives out for {@code bind(0)} and outgoing connections (Linux: 32768). */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Math.max(LOWEST + 1000, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
