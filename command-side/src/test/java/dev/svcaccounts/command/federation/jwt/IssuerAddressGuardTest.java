package dev.svcaccounts.command.federation.jwt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class IssuerAddressGuardTest {

    /** For the one look-up that must time out. */
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    /** For the look-ups that must not: a loaded machine may take longer than {@link #TIMEOUT} to run a thread. */
    private static final Duration PATIENT = Duration.ofSeconds(10);

    @Test
    void everyAddressOfAHostIsChecked_andTheCheckedOneIsTheOneToConnectTo() throws Exception {
        InetAddress[] rebinding = {InetAddress.getByName("140.82.112.3"), InetAddress.getByName("10.0.0.7")};

        assertThat(failure(new IssuerAddressGuard(false, host -> rebinding, PATIENT), "issuer.example"))
                .contains("internal address");
        assertThat(new IssuerAddressGuard(true, host -> rebinding, PATIENT).resolve("issuer.example"))
                .isEqualTo(rebinding[0]);
        InetAddress[] public1 = {InetAddress.getByName("140.82.112.3")};
        assertThat(new IssuerAddressGuard(false, host -> public1, PATIENT).resolve("issuer.example"))
                .isEqualTo(public1[0]);
    }

    @Test
    void aHostThatDoesNotResolve_orNotInTime_isAFailure() throws Exception {
        IssuerAddressGuard unknown = new IssuerAddressGuard(false, host -> {
            throw new UnknownHostException(host);
        }, PATIENT);
        assertThat(failure(unknown, "nowhere.invalid")).isEqualTo("its host nowhere.invalid does not resolve");

        CountDownLatch answer = new CountDownLatch(1);
        IssuerAddressGuard stuck = new IssuerAddressGuard(false, host -> {
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {InetAddress.getByName("140.82.112.3")};
        }, TIMEOUT);
        try {
            assertThat(failure(stuck, "slow.example")).startsWith("timeout");
        } finally {
            answer.countDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.0.1", "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "172.16.0.1",
        "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "192.0.0.170",
        "198.18.0.1", "224.0.0.251", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::1", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
        "::ffff:127.0.0.1", "::ffff:10.1.1.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1",
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:a00:1::1", "2002:a9fe:a9fe::"})
    void internalAddressesAreRefused(String literal) throws UnknownHostException {
        assertThat(IssuerAddressGuard.isInternal(InetAddress.getByName(literal))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "8.8.8.8", "140.82.112.3", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
        "169.255.0.1", "192.169.0.1", "198.20.0.1", "223.255.255.255", "11.0.0.1",
        "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::"})
    void publicAddressesAreAllowed(String literal) throws UnknownHostException {
        assertThat(IssuerAddressGuard.isInternal(InetAddress.getByName(literal))).isFalse();
    }

    private static String failure(IssuerAddressGuard guard, String host) {
        JwksFetchException failure = catchThrowableOfType(JwksFetchException.class, () -> guard.resolve(host));
        assertThat(failure).as("refused").isNotNull();
        return failure.getMessage();
    }
}
