package dev.svcaccounts.infra.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed ({@code TRUSTED_PROXIES}): IPv4 and IPv6 addresses
 * and CIDR ranges. Only a request whose socket peer is one of them has its client address read from the header,
 * from the right, skipping trusted proxies: the first address that is not one is the client. An entry that is not a
 * plain IP address (a port, a name, "unknown", garbage) ends the walk and is never taken as the client; the last
 * trusted hop then is. With no trusted proxy (the default) the header is ignored: the client is the socket peer.
 */
public final class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Range(byte[] network, int prefixLength) {

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = 0xff << (8 - remainingBits) & 0xff;
            return (bytes[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /**
     * @param setting comma-separated addresses and CIDR ranges, such as {@code 10.1.2.3, 10.8.0.0/16, fd00::/8};
     *                blank for none
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static TrustedProxies parse(String setting) {
        List<Range> ranges = new ArrayList<>();
        if (setting != null && !setting.isBlank()) {
            for (String entry : setting.split(",")) {
                ranges.add(range(entry.strip()));
            }
        }
        return new TrustedProxies(ranges);
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        InetAddress address = literal(slash < 0 ? entry : entry.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("Trusted proxy '" + entry + "' is not an IP address or a CIDR range");
        }
        int maxPrefix = address.getAddress().length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String length = entry.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > maxPrefix) {
                throw new IllegalArgumentException("Trusted proxy '" + entry + "' has an invalid prefix length");
            }
            prefix = Integer.parseInt(length);
        }
        return new Range(address.getAddress(), prefix);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean trusts(InetAddress address) {
        return ranges.stream().anyMatch(range -> range.contains(address));
    }

    /**
     * The client's address.
     *
     * @param peer         the socket peer's address, as the servlet container gives it
     * @param forwardedFor every {@code X-Forwarded-For} header value of the request, in order
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        InetAddress peerAddress = ranges.isEmpty() ? null : literal(peer);
        if (peerAddress == null || !trusts(peerAddress)) {
            return peer;
        }
        List<String> hops = forwardedFor.stream().flatMap(value -> Arrays.stream(value.split(",", -1))).toList();
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i).strip());
            if (hop == null) {
                break;
            }
            client = hop.getHostAddress();
            if (!trusts(hop)) {
                break;
            }
        }
        return client;
    }

    /**
     * The address this text spells as a plain IPv4 (no leading zeros) or IPv6 literal; null for anything else.
     * Never a name lookup.
     */
    static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        Matcher v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                String part = v4.group(i + 1);
                int value = Integer.parseInt(part);
                if (value > 255 || part.length() > 1 && part.charAt(0) == '0') {
                    return null;
                }
                bytes[i] = (byte) value;
            }
            return byAddress(bytes);
        }
        if (IPV6.matcher(text).matches()) {
            try {
                // a text with a colon is only ever parsed as an IPv6 literal, never looked up as a name
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
