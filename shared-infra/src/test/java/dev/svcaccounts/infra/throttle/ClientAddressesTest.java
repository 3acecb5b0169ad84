package dev.svcaccounts.infra.throttle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressesTest {

    @Test
    void ipv4IsCountedAsItIs_ipv6ByItsSlash64() {
        assertThat(ClientAddresses.key("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddresses.key("2001:db8:1:2:aaaa::1")).isEqualTo("20010db800010002::/64");
        assertThat(ClientAddresses.key("2001:db8:1:2:ffff:ffff:ffff:ffff"))
                .as("any address of the same /64").isEqualTo("20010db800010002::/64");
        assertThat(ClientAddresses.key("0:0:0:0:0:ffff:cb00:7107")).as("IPv4-mapped").isEqualTo("203.0.113.7");
        assertThat(ClientAddresses.key("not:an:address")).isEqualTo("not:an:address");
        assertThat(ClientAddresses.key(null)).isEqualTo("unknown");
    }
}
