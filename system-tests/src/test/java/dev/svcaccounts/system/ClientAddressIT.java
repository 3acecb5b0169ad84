package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.credentials.TokenUsageRecorder;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Gateway;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.RawHttp;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client address the audit trail records (entries and {@code access.refused}) and the compliance report shows as a
 * token's {@code lastUsedIp} is the socket peer, unless that peer is a trusted proxy ({@code TRUSTED_PROXIES}): then
 * it is the first address from the right of {@code X-Forwarded-For} that is not a trusted proxy, and never a
 * malformed entry. Here the trusted proxy is 127.0.0.1, and 127.0.0.2 (loopback too) a client that is not one.
 */
class ClientAddressIT {

    private static final String WS = "addresses";
    private static final String TRUSTED = "127.0.0.1";
    private static final String UNTRUSTED = "127.0.0.2";
    /** Audit entries of an account's creation: the account and its first token. */
    private static final int ENTRIES_OF_A_CREATE = 2;

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("client_address",
            "--svcaccounts.trusted-proxies=" + TRUSTED + ", ::1/128");
    private static Api api;
    private static String admin;
    private static int created;

    @BeforeAll
    static void setUp() {
        api = system.api();
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
    }

    @Test
    void aForgedHeader_fromAPeerThatIsNoTrustedProxy_isIgnored_inEveryRecordOfTheAddress() {
        Recorded recorded = actWithForwardedFor(UNTRUSTED, "forged", List.of("6.6.6.6, 10.0.0.9"));
        assertThat(recorded.entry()).isEqualTo(UNTRUSTED);
        assertThat(recorded.refusal()).isEqualTo(UNTRUSTED);
        assertThat(recorded.lastUse()).isEqualTo(UNTRUSTED);
    }

    @Test
    void throughATrustedProxy_theClientIsTheFirstUntrustedHopFromTheRight_andTheForgedLeftPartIsIgnored() {
        Recorded recorded = actWithForwardedFor(TRUSTED, "proxied", List.of("6.6.6.6, 203.0.113.7"));
        assertThat(recorded.entry()).isEqualTo("203.0.113.7");
        assertThat(recorded.refusal()).isEqualTo("203.0.113.7");
        assertThat(recorded.lastUse()).isEqualTo("203.0.113.7");

        assertThat(clientOfCreate(TRUSTED, List.of("6.6.6.6, 203.0.113.8, 127.0.0.1")))
                .as("a trusted hop is skipped").isEqualTo("203.0.113.8");
        assertThat(clientOfCreate(TRUSTED, List.of("6.6.6.6", "203.0.113.9")))
                .as("several header lines read as one list").isEqualTo("203.0.113.9");
        assertThat(clientOfCreate(TRUSTED, List.of("6.6.6.6, 2001:db8::7"))).as("an IPv6 client")
                .isEqualTo("2001:db8:0:0:0:0:0:7");
        for (String malformed : List.of("garbage", "unknown", "203.0.113.7:443", "[2001:db8::7]", "010.0.0.1",
                "256.1.1.1", "example.org", "")) {
            assertThat(clientOfCreate(TRUSTED, List.of("6.6.6.6, " + malformed)))
                    .as("'%s' is never the client: the proxy is", malformed).isEqualTo(TRUSTED);
        }
        assertThat(clientOfCreate(TRUSTED, List.of())).as("no header: the proxy itself").isEqualTo(TRUSTED);
    }

    @Test
    void throughTheGateway_nginxOverwritesTheHeader_soAForgedAddressNeverReachesTheTrail() throws Exception {
        Path config = Path.of("..", "deploy", "nginx.conf").toAbsolutePath().normalize();
        Optional<Gateway> started = Gateway.startIfInstalled(config, List.of(system.commandUrl()),
                List.of(system.queryUrl()), Path.of("target", "client-address-gateway").toAbsolutePath());
        Assumptions.assumeTrue(started.isPresent(), "nginx is not installed here: the gateway is not checked");
        try (Gateway gateway = started.get()) {
            String correlation = "via-gateway";
            RawHttp.Answer created = RawHttp.send(gateway.url(), "POST " + serviceAccounts(WS) + " HTTP/1.1\r\n"
                    + "Authorization: Bearer " + admin + "\r\nContent-Type: application/json\r\n"
                    + "X-Forwarded-For: 6.6.6.6\r\nX-Correlation-Id: " + correlation + "\r\nContent-Length: 24\r\n",
                    "{\"name\":\"gateway-robot\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            // nginx connects from 127.0.0.1, the trusted proxy, and says the client is 127.0.0.1: this test
            assertThat(entry(correlation, ENTRIES_OF_A_CREATE).path("clientIp").asText()).isEqualTo(TRUSTED);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The client address each kind of record got. */
    private record Recorded(String entry, String refusal, String lastUse) {
    }

    /**
     * From {@code peer}, with these X-Forwarded-For lines: a change (an audit entry), a request with a revoked token
     * (an access.refused entry) and a read with a fresh token (its last use).
     */
    private Recorded actWithForwardedFor(String peer, String label, List<String> forwardedFor) {
        JsonNode account = api.createServiceAccount(WS, admin, label + "-robot");
        String id = account.path("id").asText();
        JsonNode revoked = api.issueToken(WS, admin, id);
        api.revokeToken(WS, admin, id, revoked.path("id").asText());
        JsonNode used = api.issueToken(WS, admin, id);

        String entry = clientOfCreate(peer, forwardedFor);
        assertThat(send(peer, "GET", system.queryUrl(), serviceAccounts(WS), revoked.path("secret").asText(),
                forwardedFor, label + "-refused", null).status()).isEqualTo(401);
        String refusal = entry(label + "-refused", 1).path("clientIp").asText();
        assertThat(send(peer, "GET", system.queryUrl(), "/v1/me", used.path("secret").asText(), forwardedFor,
                label + "-used", null).status()).isEqualTo(200);
        system.querySide().getBean(TokenUsageRecorder.class).flush();
        // the report lists the token once the service-accounts projection has it: the audit entries waited for
        // above come from another processor (its last use, from the usage table, is there since the flush)
        JsonNode report = Eventually.read(() -> api.query("GET", "/v1/workspaces/" + WS + "/compliance/tokens")
                .token(admin).send(), page -> Json.item(page, "id", used.path("id").asText()));
        String lastUse = Json.item(report, "id", used.path("id").asText()).path("lastUsedIp").asText();
        return new Recorded(entry, refusal, lastUse);
    }

    /** The client address recorded for a service account created from {@code peer} with these header lines. */
    private String clientOfCreate(String peer, List<String> forwardedFor) {
        String correlation = "create-" + ++created;
        RawHttp.Answer answer = send(peer, "POST", system.commandUrl(), serviceAccounts(WS), admin, forwardedFor,
                correlation, "{\"name\":\"robot-" + created + "\"}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        return entry(correlation, ENTRIES_OF_A_CREATE).path("clientIp").asText();
    }

    private static RawHttp.Answer send(String peer, String method, String baseUrl, String path, String token,
                                       List<String> forwardedFor, String correlation, String json) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n")
                .append("Authorization: Bearer ").append(token).append("\r\n")
                .append("X-Correlation-Id: ").append(correlation).append("\r\n");
        forwardedFor.forEach(line -> head.append("X-Forwarded-For: ").append(line).append("\r\n"));
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        return RawHttp.sendFrom(peer, baseUrl, head.toString(), body);
    }

    /**
     * The first audit entry of the request with this correlation id, once the trail has all {@code count} of them
     * (the later ones, of the request's later events, may come a moment after the first).
     */
    private static JsonNode entry(String correlation, int count) {
        JsonNode page = Eventually.read(() -> api.audit(WS, admin, Map.of("correlationId", correlation)),
                p -> assertThat(Json.items(p)).hasSize(count));
        List<JsonNode> entries = Json.items(page);
        assertThat(Json.texts(entries, "clientIp")).as("one address per request").containsOnly(
                entries.get(0).path("clientIp").asText());
        return entries.get(0);
    }
}
