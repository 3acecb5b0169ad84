package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit export: the same entries as the trail, in the same order, as ndjson or CSV a spreadsheet can open
 * safely; streamed, so 100,000 entries go out without the server holding them; and incremental through the
 * cursor header.
 */
class AuditExportIT {

    private static final String WS = "exported";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("export");
    private static Api api;
    private static String admin;

    @BeforeAll
    static void history() {
        api = system.api();
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
        for (int i = 0; i < 7; i++) {
            String id = api.createServiceAccount(WS, admin, "exporter-" + i).path("id").asText();
            api.command("POST", Api.serviceAccount(WS, id) + "/deactivate").token(admin)
                    .header("X-Audit-Reason", i == 0 ? "=HYPERLINK(\"http://evil\"), \"quoted\"" : "rotation " + i)
                    .header("X-Correlation-Id", "rotation-job-" + i).json(Map.of()).send().expect(200);
        }
        system.awaitProjectionsCaughtUp();
    }

    @Test
    void ndjsonExport_isTheWholeTrail_inTheTrailsOrder() throws Exception {
        List<JsonNode> paged = new ArrayList<>();
        String next = null;
        do {
            Map<String, String> params = next == null ? Map.of("limit", "5") : Map.of("limit", "5", "after", next);
            JsonNode page = api.audit(WS, admin, params).expect(200).json();
            page.path("items").forEach(paged::add);
            next = page.path("next").isNull() ? null : page.path("next").asText();
        } while (next != null);
        assertThat(paged).hasSizeGreaterThan(20);

        HttpResponse<String> export = get("/v1/workspaces/" + WS + "/audit/export?format=ndjson", admin);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
        List<JsonNode> exported = new ArrayList<>();
        for (String line : export.body().split("\n")) {
            exported.add(Api.JSON.readTree(line));
        }
        assertThat(exported).isEqualTo(paged);
        assertThat(exported).extracting(e -> e.path("correlationId").asText(null)).contains("rotation-job-3");
        assertThat(Long.parseLong(export.headers().firstValue("X-Audit-Complete-Up-To").orElseThrow()))
                .isGreaterThanOrEqualTo(exported.get(exported.size() - 1).path("position").asLong());
    }

    @Test
    void csvExport_quotesWhatMustBeQuoted_andDefusesFormulas() throws Exception {
        HttpResponse<String> export =
                get("/v1/workspaces/" + WS + "/audit/export?format=csv&type=service_account.deactivated", admin);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(export.headers().firstValue("Content-Disposition").orElseThrow()).contains("audit-" + WS + ".csv");
        String[] lines = export.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("position,event_id,occurred_at,type,subject_type,subject_id,account_type,"
                + "account_id,actor_type,actor_id,actor_name,token_id,request_id,correlation_id,client_ip,user_agent,"
                + "reason,details");
        assertThat(lines).hasSize(1 + 7);
        assertThat(lines[1]).contains(",service_account.deactivated,service_account,")
                .contains(",rotation-job-0,127.0.0.1,")
                .contains(",user,alice,alice,")
                // a reason starting with '=' would run as a formula in a spreadsheet: it is prefixed with a quote
                .contains(",\"'=HYPERLINK(\"\"http://evil\"\"), \"\"quoted\"\"\",");
        assertThat(lines[2]).contains(",rotation 1,");
    }

    @Test
    void theCursorHeader_makesTheNextExportIncremental() throws Exception {
        system.awaitProjectionsCaughtUp();
        HttpResponse<String> first = get("/v1/workspaces/" + WS + "/audit/export", admin);
        String cursor = first.headers().firstValue("X-Audit-Complete-Up-To").orElseThrow();
        String id = api.createServiceAccount(WS, admin, "late-arrival").path("id").asText();
        Eventually.untilAsserted(() -> {
            HttpResponse<String> delta = get("/v1/workspaces/" + WS + "/audit/export?after=" + cursor, admin);
            String[] lines = delta.body().split("\n");
            assertThat(lines).hasSize(2); // the account and its first token
            assertThat(Api.JSON.readTree(lines[0]).path("subject").path("id").asText()).isEqualTo(id);
        });
    }

    @Test
    void aHundredThousandEntries_streamOut() throws Exception {
        // 100,000 entries through the API would take many minutes: they are written straight into the read
        // model, at positions below every real event's so they count as complete
        String ws = "bulk-export";
        String bulkAdmin = api.createWorkspace(ws, "bob").path("token").path("secret").asText();
        system.database().jdbc().update("""
                INSERT INTO query_side.audit_entry (position, event_id, workspace_id, occurred_at, type, subject_type,
                    subject_id, actor_type, actor_id, actor_name, reason, details)
                SELECT -1000000 + n, 'bulk-' || n, ?, now(), 'service_account.updated', 'service_account', 'sa-' || n,
                       'user', 'bob', 'bob', 'bulk load, row ' || n, '{"name": {"before": "a", "after": "b"}}'::jsonb
                  FROM generate_series(1, 100000) AS n
                """, ws);

        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.queryUrl() + "/v1/workspaces/" + ws
                + "/audit/export?format=csv&type=service_account.updated"))
                .header("Authorization", "Bearer " + bulkAdmin).build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).as("streamed, not buffered").isEmpty();
        long rows = 0;
        long lastPosition = Long.MIN_VALUE;
        try (BufferedReader reader =
                     new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                long position = Long.parseLong(line.substring(0, line.indexOf(',')));
                assertThat(position).isGreaterThan(lastPosition);
                lastPosition = position;
                rows++;
            }
        }
        System.out.printf("audit export: %,d CSV rows in %,d ms%n", rows, (System.nanoTime() - started) / 1_000_000);
        assertThat(rows).isEqualTo(100_000);
    }

    @Test
    void badExportsAreRefused() {
        api.query("GET", "/v1/workspaces/" + WS + "/audit/export").param("format", "xml").token(admin).send()
                .expectProblem(400, "invalid-parameter");
        api.query("GET", "/v1/workspaces/" + WS + "/audit/export").param("from", "yesterday").token(admin).send()
                .expectProblem(400, "invalid-parameter");
        String member = api.addMember(WS, admin, "mallory", "member").path("token").path("secret").asText();
        Response refused = api.query("GET", "/v1/workspaces/" + WS + "/audit/export").token(member).send();
        assertThat(refused.status()).isEqualTo(403);
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(system.queryUrl() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
