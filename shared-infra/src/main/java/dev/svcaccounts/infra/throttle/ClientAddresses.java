package dev.svcaccounts.infra.throttle;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * What the throttles by address (failed authentications, leaked-token reports) count by: the client's address, or
 * for IPv6 its /64 network, since one subscriber usually holds a whole /64 and could otherwise change address for
 * every guess.
 */
public final class ClientAddresses {

    private static final int MAX_LENGTH = 100;

    private ClientAddresses() {
    }

    public static String key(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isEmpty()) {
            return "unknown";
        }
        if (remoteAddress.indexOf(':') >= 0) {
            try {
                // a literal with ':' is parsed as IPv6 and never looked up in DNS
                InetAddress address = InetAddress.getByName(remoteAddress);
                if (address instanceof Inet6Address) {
                    byte[] bytes = address.getAddress();
                    return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
                }
                return address.getHostAddress(); // IPv4-mapped
            } catch (UnknownHostException | SecurityException notAnAddress) {
                // fall through: counted as given
            }
        }
        return remoteAddress.length() <= MAX_LENGTH ? remoteAddress : remoteAddress.substring(0, MAX_LENGTH);
    }
}
