package dev.svcaccounts.command.federation.jwt;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps key fetches off our own network (SSRF): a host is refused when any of its addresses is loopback, private
 * (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 with the clouds' metadata service, fe80::/10),
 * CGNAT (100.64/10), unspecified, multicast, reserved or broadcast, IPv4 written in IPv6 (mapped, compatible, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) included. The caller connects to the address checked here, not to a second lookup
 * of the name, so a name that changes its answer between the two (DNS rebinding) gains nothing. The lookup is given
 * up after the fetch's timeout.
 */
final class IssuerAddressGuard {

    /** How a host name becomes addresses: the system's resolver, or a test's. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Lookups run here, so that one the system's resolver keeps waiting on is given up after the timeout. */
    private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "jwks-host-lookup");
        thread.setDaemon(true);
        return thread;
    });

    private final boolean allowInternal;
    private final Resolver resolver;
    private final Duration timeout;

    IssuerAddressGuard(boolean allowInternal, Resolver resolver, Duration timeout) {
        this.allowInternal = allowInternal;
        this.resolver = resolver;
        this.timeout = timeout;
    }

    /** The address to connect to: the host's first, once all of them passed. */
    InetAddress resolve(String host) throws JwksFetchException {
        InetAddress[] addresses = lookUp(host);
        if (!allowInternal && Arrays.stream(addresses).anyMatch(IssuerAddressGuard::isInternal)) {
            throw new JwksFetchException("its host " + host + " is (or resolves to) a loopback, private, link-local"
                    + " or otherwise internal address, which is refused unless FEDERATION_ALLOW_PRIVATE_ISSUERS=true");
        }
        return addresses[0];
    }

    private InetAddress[] lookUp(String host) throws JwksFetchException {
        Future<InetAddress[]> lookup = LOOKUPS.submit(() -> resolver.resolve(host));
        try {
            InetAddress[] addresses = lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (addresses == null || addresses.length == 0) {
                throw new JwksFetchException("its host " + host + " does not resolve");
            }
            return addresses;
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new JwksFetchException("timeout (its host " + host + " does not resolve within "
                    + timeout.toMillis() + " ms)");
        } catch (ExecutionException e) {
            throw new JwksFetchException("its host " + host + " does not resolve");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JwksFetchException("interrupted");
        }
    }

    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isInternalIpv4(bytes);
        }
        if (address instanceof Inet6Address) {
            return isInternalIpv6(bytes);
        }
        return true;
    }

    private static boolean isInternalIpv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0                                        // "this network"
                || first == 10
                || first == 127
                || first == 100 && (second & 0xc0) == 64         // 100.64/10, carrier-grade NAT
                || first == 169 && second == 254
                || first == 172 && (second & 0xf0) == 16
                || first == 192 && second == 168
                || first == 192 && second == 0 && (b[2] & 0xff) == 0  // 192.0.0/24, protocol assignments
                || first == 198 && (second & 0xfe) == 18         // 198.18/15, benchmarking
                || first >= 224;                                 // multicast, reserved, broadcast
    }

    private static boolean isInternalIpv6(byte[] b) {
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc || first == 0xff || first == 0xfe && (b[1] & 0xc0) == 0x80) {
            return true;                                         // fc00::/7, ff00::/8, fe80::/10
        }
        if (first == 0x20 && (b[1] & 0xff) == 0x02) {            // 2002::/16, 6to4: the IPv4 address follows
            return isInternalIpv4(Arrays.copyOfRange(b, 2, 6));
        }
        boolean zeroPrefix = allZero(b, 0, 10);
        boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0;
        boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12);
        if (mapped || compatible || nat64) {
            return isInternalIpv4(Arrays.copyOfRange(b, 12, 16));
        }
        return false;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
