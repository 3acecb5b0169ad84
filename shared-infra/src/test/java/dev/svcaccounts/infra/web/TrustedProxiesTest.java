package dev.svcaccounts.infra.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxiesTest {

    private final TrustedProxies proxies = TrustedProxies.parse("10.0.0.9, 192.168.0.0/16,fd00::/8 ,::1");

    @Test
    void withoutTrustedProxies_theHeaderIsIgnored_theClientIsThePeer() {
        TrustedProxies none = TrustedProxies.parse("");
        assertThat(none.clientAddress("10.0.0.9", List.of("6.6.6.6"))).isEqualTo("10.0.0.9");
        assertThat(TrustedProxies.parse(null).isEmpty()).isTrue();
    }

    @Test
    void fromAPeerThatIsNoTrustedProxy_theHeaderIsIgnored() {
        assertThat(proxies.clientAddress("203.0.113.5", List.of("6.6.6.6, 10.0.0.9"))).isEqualTo("203.0.113.5");
        assertThat(proxies.clientAddress("10.0.0.10", List.of("6.6.6.6"))).as("next to a trusted address")
                .isEqualTo("10.0.0.10");
    }

    @Test
    void fromATrustedProxy_theClientIsTheFirstUntrustedAddressFromTheRight() {
        assertThat(proxies.clientAddress("10.0.0.9", List.of("6.6.6.6, 203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(proxies.clientAddress("10.0.0.9", List.of("6.6.6.6, 203.0.113.7, 192.168.4.4")))
                .isEqualTo("203.0.113.7");
        assertThat(proxies.clientAddress("10.0.0.9", List.of("6.6.6.6", "203.0.113.7 , 192.168.4.4")))
                .as("several header lines").isEqualTo("203.0.113.7");
        assertThat(proxies.clientAddress("0:0:0:0:0:0:0:1", List.of("2001:db8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(proxies.clientAddress("fd12::3", List.of("::ffff:198.51.100.2"))).as("IPv4-mapped")
                .isEqualTo("198.51.100.2");
    }

    @Test
    void aMalformedEntry_isNeverTheClient_theLastTrustedHopIs() {
        for (String malformed : List.of("unknown", "garbage", "203.0.113.7:8080", "[2001:db8::1]", "010.1.1.1",
                "1.2.3.256", "1.2.3", "example.org", "localhost", "", "2001:db8::1%eth0", "_hidden")) {
            assertThat(proxies.clientAddress("10.0.0.9", List.of("6.6.6.6, " + malformed)))
                    .as(malformed).isEqualTo("10.0.0.9");
            assertThat(proxies.clientAddress("10.0.0.9", List.of("6.6.6.6, " + malformed + ", 192.168.1.1")))
                    .as(malformed + " behind a second proxy").isEqualTo("192.168.1.1");
        }
    }

    @Test
    void onlyTrustedAddresses_theLeftmostIsTheClient() {
        assertThat(proxies.clientAddress("10.0.0.9", List.of("192.168.1.1, 192.168.2.2"))).isEqualTo("192.168.1.1");
        assertThat(proxies.clientAddress("10.0.0.9", List.of())).isEqualTo("10.0.0.9");
    }

    @Test
    void rangesMatchByPrefix() {
        TrustedProxies ranges = TrustedProxies.parse("172.28.0.8/29, 2001:db8:ab00::/40");
        assertThat(ranges.trusts(TrustedProxies.literal("172.28.0.15"))).isTrue();
        assertThat(ranges.trusts(TrustedProxies.literal("172.28.0.16"))).isFalse();
        assertThat(ranges.trusts(TrustedProxies.literal("2001:db8:abff::1"))).isTrue();
        assertThat(ranges.trusts(TrustedProxies.literal("2001:db8:ac00::1"))).isFalse();
        assertThat(ranges.trusts(TrustedProxies.literal("::ffff:172.28.0.9"))).isTrue();
        assertThat(TrustedProxies.parse("0.0.0.0/0").trusts(TrustedProxies.literal("8.8.8.8"))).isTrue();
    }

    @Test
    void aSettingThatIsNoAddressOrRange_stopsTheStart() {
        for (String invalid : List.of("proxy.internal", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1",
                "10.0.0.1,,10.0.0.2", "10.0.0.0/8/8")) {
            assertThatThrownBy(() -> TrustedProxies.parse(invalid)).as(invalid)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
