package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token secret is shown once, in the response that issues it, and never stored or printed: after a full
 * lifecycle no column of any table holds a secret (nor its random part), and neither application's console
 * output does. The scan proves it reads what it claims to by finding the secrets' hashes where they belong.
 *
 * <p>The output capture starts before the applications do (it is declared on the class, so JUnit registers and
 * runs it before the {@code RunningSystem} field's extension), so their start-up output is checked too. This test
 * never prints a secret itself: failures name a secret by its label, never by its value.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoSecretsAtRestIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("no_secrets");
    private static Api api;

    @BeforeAll
    static void setUp() {
        api = system.api();
    }

    @Test
    void noAnswer_mayBeKeptByACache_aboveAllThoseThatShowASecret() {
        Response workspace = api.command("POST", "/v1/workspaces").token(api.operatorToken())
                .json(Map.of("id", "cache", "name", "Cache", "admin", Map.of("username", "carol"))).send().expect(201);
        String admin = workspace.json().path("token").path("secret").asText();
        Response account = api.command("POST", Api.serviceAccounts("cache")).token(admin)
                .json(Map.of("name", "ci")).send().expect(201);
        String id = account.json().path("id").asText();
        Response token = api.command("POST", Api.tokens("cache", id)).token(admin).send().expect(201);
        Response read = api.query("GET", Api.serviceAccounts("cache")).token(admin).send();
        Response refused = api.query("GET", Api.serviceAccounts("cache")).token("svcacct_wrong").send().expect(401);
        Response introspection = api.introspect(api.operatorToken(), admin).expect(200);
        for (Response answer : List.of(workspace, account, token, read, refused, introspection)) {
            assertThat(answer.header("Cache-Control")).as("%s %s", answer.method(), answer.uri()).isEqualTo("no-store");
        }
    }

    @Test
    void noSecret_isStoredInAnyTable_orPrintedByEitherApplication(CapturedOutput output) {
        assertThat(output.getOut().split("Tomcat started on port", -1))
                .as("the capture covers both applications' start-up").hasSize(3);
        Map<String, String> secrets = new LinkedHashMap<>(); // label -> secret
        Map<String, String> tokenIds = new LinkedHashMap<>(); // label -> token id, for tokens the platform issued
        secrets.put("operator credential", api.operatorToken());

        JsonNode acme = api.createWorkspace("acme", "alice");
        String admin = record(secrets, tokenIds, "acme admin token", acme.path("token"));
        JsonNode globex = api.createWorkspace("globex", "bob");
        String otherAdmin = record(secrets, tokenIds, "globex admin token", globex.path("token"));

        JsonNode ci = api.createServiceAccount("acme", admin, "ci", "builds");
        String ciId = ci.path("id").asText();
        record(secrets, tokenIds, "ci first token", ci.path("token"));
        JsonNode deploy = api.createServiceAccount("acme", admin, "deploy");
        String deployId = deploy.path("id").asText();
        record(secrets, tokenIds, "deploy first token", deploy.path("token"));
        JsonNode robot = api.createServiceAccount("globex", otherAdmin, "robot");
        record(secrets, tokenIds, "globex robot first token", robot.path("token"));

        record(secrets, tokenIds, "ci extra token 1",
                api.issueToken("acme", admin, ciId, Map.of("description", "deploy job")));
        JsonNode extra2 = api.issueToken("acme", admin, ciId,
                Map.of("expiresAt", Instant.now().plus(30, ChronoUnit.DAYS).toString()));
        record(secrets, tokenIds, "ci extra token 2", extra2);
        String extra3 = record(secrets, tokenIds, "ci extra token 3", api.issueToken("acme", admin, ciId));
        api.revokeToken("acme", admin, ciId, extra2.path("id").asText());
        api.rename("acme", admin, ciId, "ci-pipeline");

        // tokens used, in success and in refusal, through both sides
        Probe.commandSide(api, "acme", extra3);
        Probe.querySide(api, "acme", extra3);
        Probe.querySide(api, "acme", secrets.get("ci extra token 2")); // revoked: 401
        api.command("POST", Api.serviceAccounts("acme")).token(extra3).json(Map.of("name", "x")).send(); // 403

        // a well-formed token that was never issued, sent as a bearer: refused, and must not be logged either
        String neverIssued = TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);
        secrets.put("never issued token", neverIssued);
        Probe.commandSide(api, "acme", neverIssued);
        Probe.querySide(api, "acme", neverIssued);

        // an introspection client (registered with an Idempotency-Key, whose stored answer must not keep the
        // secret), used by HTTP Basic and by form fields, then a wrong secret, then revoked
        JsonNode client = api.command("POST", "/v1/admin/introspection-clients").token(api.operatorToken())
                .header("Idempotency-Key", "client-1").json(Map.of("name", "gateway")).send().expect(201).json();
        String clientSecret = client.path("client_secret").asText();
        assertThat(TokenSecret.isWellFormed(clientSecret)).as("a well-formed client secret").isTrue();
        secrets.put("introspection client secret", clientSecret);
        String clientId = client.path("client_id").asText();
        api.introspectAsClient(clientId, clientSecret, extra3).expect(200);
        api.query("POST", "/v1/introspect")
                .form(Map.of("client_id", clientId, "client_secret", clientSecret, "token", extra3)).send().expect(200);
        String wrongClientSecret = TokenSecret.generate(TokenSecret.INTROSPECTION_CLIENT_PREFIX);
        secrets.put("wrong client secret", wrongClientSecret);
        api.introspectAsClient(clientId, wrongClientSecret, extra3).expect(401);
        api.command("DELETE", "/v1/admin/introspection-clients/" + clientId).token(api.operatorToken()).send()
                .expect(204);

        // rule violations whose commands carry a new token's hash
        for (int i = 0; i < 2; i++) { // first + extras 1 and 3 are live: two more make five
            record(secrets, tokenIds, "ci extra token " + (4 + i), api.issueToken("acme", admin, ciId));
        }
        api.command("POST", Api.tokens("acme", ciId)).token(admin).send(); // sixth: 409

        api.deactivate("acme", admin, deployId);
        record(secrets, tokenIds, "deploy reactivation token", api.reactivate("acme", admin, deployId).path("token"));
        api.deactivate("acme", admin, deployId);
        record(secrets, tokenIds, "deploy second reactivation token",
                api.reactivate("acme", admin, deployId).path("token"));
        api.delete("acme", admin, deployId);
        record(secrets, tokenIds, "new deploy account token",
                api.createServiceAccount("acme", admin, "deploy").path("token"));

        system.awaitProjectionsCaughtUp();
        Eventually.read(() -> api.listServiceAccounts("acme", admin, "deleted"),
                page -> assertThat(Json.findById(page, deployId)).isPresent());

        // ---- every column of every table
        JdbcTemplate jdbc = system.database().jdbc();
        List<Cell> cells = readEveryCell(jdbc);
        Set<String> schemas = new LinkedHashSet<>();
        cells.forEach(c -> schemas.add(c.schema()));
        assertThat(schemas).contains("command_side", "query_side");

        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String body = randomPart(secret.getValue());
            List<String> holders = cells.stream()
                    .filter(c -> c.value().contains(secret.getValue()) || (body != null && c.value().contains(body)))
                    .map(Cell::where).distinct().toList();
            assertThat(holders).as("columns holding the %s (or its random part)", secret.getKey()).isEmpty();
        }

        // ---- sanity: the scan does read the tables, bytea included
        for (Map.Entry<String, String> issued : tokenIds.entrySet()) {
            String hash = TokenSecret.hash(secrets.get(issued.getKey()));
            assertThat(jdbc.queryForObject("SELECT secret_hash FROM command_side.auth_token WHERE token_id = ?",
                    String.class, issued.getValue())).as("stored hash of the %s", issued.getKey()).isEqualTo(hash);
            assertThat(cells.stream().filter(c -> c.value().contains(hash)).map(Cell::where).distinct().toList())
                    .as("where the hash of the %s is", issued.getKey())
                    .contains("command_side.auth_token.secret_hash", "command_side.domain_event_entry.payload");
        }
        assertThat(jdbc.queryForObject("SELECT secret_hash FROM command_side.operator_credential", String.class))
                .as("the operator credential: salted, slow").startsWith("pbkdf2-sha256$");
        String someHint = ci.path("token").path("hint").asText();
        assertThat(cells.stream().filter(c -> c.value().contains(someHint)).map(Cell::where).distinct().toList())
                .as("the scan reads the query side's tables too")
                .contains("query_side.service_account_token.hint");

        // ---- the console output of both applications, start-up included
        String printed = output.getAll();
        // (both log through the JVM's one Logback, so every line is labelled with the first one's name; their
        // web servers' ports tell them apart)
        assertThat(printed).as("output of the command side was captured")
                .contains("Tomcat started on port " + port(system.commandUrl()));
        assertThat(printed).as("output of the query side was captured")
                .contains("Tomcat started on port " + port(system.queryUrl()));
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String body = randomPart(secret.getValue());
            boolean leaked = printed.contains(secret.getValue()) || (body != null && printed.contains(body));
            assertThat(leaked).as("the %s was printed", secret.getKey()).isFalse();
        }
    }

    private static String port(String baseUrl) {
        return baseUrl.substring(baseUrl.lastIndexOf(':') + 1);
    }

    private static String record(Map<String, String> secrets, Map<String, String> tokenIds, String label,
                                 JsonNode token) {
        String secret = token.path("secret").asText();
        assertThat(TokenSecret.isWellFormed(secret)).as("%s is a well-formed secret", label).isTrue();
        secrets.put(label, secret);
        tokenIds.put(label, token.path("id").asText());
        return secret;
    }

    /** The 43 random characters after the prefix; null for a credential of another shape (the operator's). */
    private static String randomPart(String secret) {
        for (String prefix :
                List.of(TokenSecret.SERVICE_ACCOUNT_PREFIX, TokenSecret.USER_PREFIX, TokenSecret.OPERATOR_PREFIX,
                        TokenSecret.INTROSPECTION_CLIENT_PREFIX)) {
            if (secret.startsWith(prefix) && secret.length() >= prefix.length() + 43) {
                return secret.substring(prefix.length(), prefix.length() + 43);
            }
        }
        return null;
    }

    record Cell(String schema, String table, String column, String value) {
        String where() {
            return schema + "." + table + "." + column;
        }
    }

    /** Every non-null value of every column of every table outside PostgreSQL's own schemas, as text. */
    private static List<Cell> readEveryCell(JdbcTemplate jdbc) {
        List<Map<String, Object>> columns = jdbc.queryForList("""
                SELECT c.table_schema, c.table_name, c.column_name, c.data_type
                  FROM information_schema.columns c
                  JOIN information_schema.tables t
                    ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                 WHERE t.table_type = 'BASE TABLE'
                   AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
                   AND c.table_schema NOT LIKE 'pg_toast%'
                 ORDER BY c.table_schema, c.table_name, c.ordinal_position
                """);
        assertThat(columns).as("columns to scan").hasSizeGreaterThan(20);
        List<Cell> cells = new ArrayList<>();
        for (Map<String, Object> column : columns) {
            String schema = (String) column.get("table_schema");
            String table = (String) column.get("table_name");
            String name = (String) column.get("column_name");
            String quoted = "\"" + name.replace("\"", "\"\"") + "\"";
            String expression = "bytea".equals(column.get("data_type"))
                    ? "encode(" + quoted + ", 'escape')" : quoted + "::text";
            List<String> values = jdbc.queryForList("SELECT " + expression + " FROM \"" + schema + "\".\"" + table
                    + "\" WHERE " + quoted + " IS NOT NULL", String.class);
            values.forEach(v -> cells.add(new Cell(schema, table, name, v)));
        }
        return cells;
    }
}
