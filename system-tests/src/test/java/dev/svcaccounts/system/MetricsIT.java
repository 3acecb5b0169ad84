package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a dashboard and the alerting rules read at {@code /actuator/prometheus} (docs/operations.md): every metric
 * that {@code deploy/prometheus/alerts.yml} or the documentation's table names is exposed by the running
 * applications, the scrapes pass {@code promtool check metrics} (when promtool is installed), and the values move
 * with the traffic that should move them.
 */
class MetricsIT {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("\\b((?:svcaccounts|http_server_requests)_[a-z_]+)");
    /** A row of a table whose first cell is a metric's name (the alerts' names start with a capital). */
    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|");
    private static final List<String> SUFFIXES = List.of("", "_bucket", "_count", "_sum", "_total");

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("metrics");
    private static Api api;
    private static String commandScrape;
    private static String queryScrape;

    @BeforeAll
    static void traffic() {
        api = system.api();
        JsonNode workspace = api.createWorkspace("metrics", "alice");
        String admin = workspace.path("token").path("secret").asText();
        JsonNode robot = api.createServiceAccount("metrics", admin, "robot");
        String robotId = robot.path("id").asText();
        String robotToken = robot.path("token").path("secret").asText();
        JsonNode second = api.issueToken("metrics", admin, robotId);
        api.revokeToken("metrics", admin, robotId, second.path("id").asText());
        api.introspect(robotToken);
        api.introspect("not-a-token");
        api.introspect(robotToken, "anything").expectOAuthError(401, "introspection-not-allowed", "invalid_token");
        api.query("GET", Api.serviceAccount("metrics", robotId)).token(second.path("secret").asText()).send()
                .expectProblem(401, "unauthenticated");
        api.command("POST", Api.serviceAccounts("metrics")).token("no-such-token").json(Map.of("name", "x")).send()
                .expectProblem(401, "unauthenticated");
        for (int i = 0; i < 2; i++) { // the second of each is an idempotent replay, answered by a filter
            api.command("PATCH", Api.serviceAccount("metrics", robotId)).token(admin)
                    .header("Idempotency-Key", "describe-1").json(Map.of("description", "keyed")).send().expect(200);
            api.query("POST", "/v1/admin/audit/verify").token(api.operatorToken())
                    .header("Idempotency-Key", "verify-1").send().expect(202);
        }
        system.awaitProjectionsCaughtUp();
        commandScrape = scrape(api.command("GET", "/actuator/prometheus"));
        queryScrape = scrape(api.query("GET", "/actuator/prometheus"));
    }

    private static String scrape(Api.Request request) {
        return request.header("Accept", "text/plain").send().expect(200).body();
    }

    @Test
    void everyMetricTheAlertRulesName_isExposed() throws IOException {
        Set<String> named = metricsIn(Files.readString(REPOSITORY.resolve("deploy/prometheus/alerts.yml")));
        assertThat(named).contains("svcaccounts_processor_lag_events", "svcaccounts_database_up",
                "svcaccounts_refusals_total", "http_server_requests_seconds_count");
        assertExposed(named);
    }

    @Test
    void everyMetricTheDocumentationTableNames_isExposed() throws IOException {
        String document = Files.readString(REPOSITORY.resolve("docs/operations.md"));
        Set<String> named = new TreeSet<>();
        Matcher rows = TABLE_ROW.matcher(document);
        while (rows.find()) {
            named.add(rows.group(1));
        }
        assertThat(named).hasSizeGreaterThanOrEqualTo(14);
        assertExposed(named);
    }

    private static void assertExposed(Set<String> names) {
        for (String name : names) {
            boolean exposed = SUFFIXES.stream().anyMatch(suffix -> exposes(commandScrape, name + suffix)
                    || exposes(queryScrape, name + suffix));
            assertThat(exposed).as(name + " is exposed by one side at least").isTrue();
        }
    }

    private static boolean exposes(String scrape, String sample) {
        return Pattern.compile("(?m)^" + Pattern.quote(sample) + "[{ ]").matcher(scrape).find();
    }

    private static Set<String> metricsIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    @Test
    void promtoolAcceptsBothScrapes() throws Exception {
        Optional<Path> promtool = Set.of("/usr/bin/promtool", "/usr/local/bin/promtool").stream().map(Path::of)
                .filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(promtool.isPresent(), "promtool is not installed here: the scrapes are not linted");
        for (String scrape : List.of(commandScrape, queryScrape)) {
            Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
                    .redirectErrorStream(true).start();
            check.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as(output).isZero();
        }
    }

    @Test
    void requestLatencies_areHistogramsByRouteTemplate_alsoForAnswersOfTheAuthenticationFilter() {
        // the 401s were written by BearerTokenFilter before Spring MVC chose a handler
        assertThat(queryScrape).containsPattern("http_server_requests_seconds_bucket\\{[^}]*status=\"401\""
                + "[^}]*uri=\"/v1/workspaces/\\{ws\\}/service-accounts/\\{id\\}\"[^}]*le=\"0\\.0025\"\\}");
        assertThat(commandScrape).containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\""
                + "[^}]*status=\"401\"[^}]*uri=\"/v1/workspaces/\\{ws\\}/service-accounts\"\\} 1");
        for (String scrape : List.of(commandScrape, queryScrape)) {
            assertThat(scrape).doesNotContainPattern("http_server_requests_seconds_count\\{[^}]*uri=\"UNKNOWN\"")
                    .doesNotContain("uri=\"/v1/workspaces/metrics");
            assertThat(scrape).contains("# TYPE http_server_requests_seconds histogram");
        }
    }

    @Test
    void idempotentReplays_areCountedUnderTheirRoute() {
        assertThat(commandScrape).containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"PATCH\""
                + "[^}]*status=\"200\"[^}]*uri=\"/v1/workspaces/\\{ws\\}/service-accounts/\\{id\\}\"\\} 2");
        assertThat(queryScrape).containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\""
                + "[^}]*status=\"202\"[^}]*uri=\"/v1/admin/audit/verify\"\\} 2");
    }

    @Test
    void commandsAndAppends_areTimed_tokensCounted() {
        assertThat(commandScrape)
                .containsPattern("svcaccounts_command_handling_seconds_count\\{[^}]*command=\"IssueTokenCommand\""
                        + "[^}]*outcome=\"success\"\\} 1")
                .containsPattern("svcaccounts_command_handling_seconds_bucket\\{[^}]*command=\"RevokeTokenCommand\""
                        + "[^}]*outcome=\"success\",le=\"10\\.0\"\\} 1")
                .containsPattern("svcaccounts_event_store_append_seconds_count\\{[^}]*outcome=\"success\"\\} [1-9]")
                // the workspace's admin, the account's first token, the second one
                .containsPattern("svcaccounts_tokens_issued_total\\{[^}]*\\} 3\\.0")
                .containsPattern("svcaccounts_tokens_revoked_total\\{[^}]*cause=\"revoked\"[^}]*\\} 1\\.0")
                .containsPattern("svcaccounts_refusals_total\\{[^}]*code=\"unauthenticated\",status=\"401\"\\} 1\\.0");
    }

    @Test
    void introspections_areCountedByResult_andEndedTokensByRule() {
        assertThat(queryScrape)
                .containsPattern("svcaccounts_introspections_total\\{[^}]*reason=\"none\",result=\"active\"\\} 1\\.0")
                .containsPattern("svcaccounts_introspections_total\\{[^}]*reason=\"none\",result=\"inactive\"\\} 1\\.0")
                .containsPattern("svcaccounts_introspections_total\\{[^}]*reason=\"unauthenticated\","
                        + "result=\"refused\"\\} "
                        + "1\\.0")
                .containsPattern("svcaccounts_ended_tokens_presented_total\\{[^}]*rule=\"token-revoked\"\\} 1\\.0")
                .containsPattern("svcaccounts_refusals_total\\{[^}]*code=\"introspection-not-allowed\","
                        + "status=\"401\"\\} 1\\.0")
                .containsPattern("svcaccounts_database_up\\{[^}]*\\} 1\\.0");
        for (String processor : RunningSystem.QUERY_PROCESSORS) {
            assertThat(queryScrape).containsPattern(
                    "svcaccounts_replay_running\\{[^}]*projection=\"" + processor + "\"[^}]*\\} 0\\.0");
        }
    }
}
