package dev.svcaccounts.system;

import dev.svcaccounts.system.fuzz.ApiDocuments;
import dev.svcaccounts.system.fuzz.Exchange;
import dev.svcaccounts.system.fuzz.FuzzReport;
import dev.svcaccounts.system.fuzz.FuzzSeed;
import dev.svcaccounts.system.fuzz.Fuzzer;
import dev.svcaccounts.system.fuzz.Side;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of hostile requests generated from both applications' OpenAPI documents, each sent as a real
 * principal (admin, member, service account, operator, another workspace's admin, a revoked token, an unknown
 * token, none) to a workspace with real state, and each answer held to the API's contract: never a 5xx; every 4xx
 * an {@code application/problem+json} with the API's type, a title, the status and a detail; nothing changed by a
 * refused request (event store and credential tables, the records of refused attempts aside); no success for the
 * unauthenticated, across workspaces, for input the product's rules refuse, or that stores other text than sent.
 *
 * <p>Reproducible: the seed is printed ({@code -Dfuzz.seed=...}), failures are shrunk and printed as curl commands
 * with a script that plants the same state in {@code ./run.sh}, in {@code target/fuzz/}. See the fuzz package and
 * system-tests/README.md for the settings ({@code fuzz.tries}, {@code fuzz.seconds}, {@code fuzz.settings}...).
 */
class OpenApiFuzzIT {

    /**
     * Settings for both applications: throttles raised far above what one client address and a handful of
     * principals sending thousands of requests a minute need (throttling is still on, and every 429 is judged like
     * any answer), then {@code -Dfuzz.settings=name=value,...}. Settings an application does not know are ignored.
     */
    private static final String[] SETTINGS = Stream.concat(Stream.of(
                    "svcaccounts.throttle.writes.limit=1000000",
                    "svcaccounts.throttle.failed-authentications.limit=1000000",
                    "svcaccounts.throttle.token-exchanges.limit=1000000"),
            Arrays.stream(System.getProperty("fuzz.settings", "").split(",")).map(String::trim))
            .filter(s -> !s.isEmpty()).map(s -> "--" + s).toArray(String[]::new);

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("fuzz", SETTINGS);

    @Test
    void hostileRequestsFromTheOpenApiDocuments_neverBreakTheApiContract() {
        Fuzzer.Settings settings = Fuzzer.Settings.fromSystemProperties();
        ApiDocuments documents = ApiDocuments.read(system.commandUrl(), system.queryUrl());
        assertThat(documents.operations()).as("operations of both documents")
                .anyMatch(o -> o.side() == Side.COMMAND).anyMatch(o -> o.side() == Side.QUERY);
        FuzzSeed seed = new FuzzSeed(system.api());
        // one connection for the thousands of state fingerprints: a new one each time costs more than the request
        SingleConnectionDataSource connection = new SingleConnectionDataSource(system.database().url(),
                system.database().user(), system.database().password(), true);
        Fuzzer fuzzer = new Fuzzer(settings, documents, seed, new Exchange(system.commandUrl(), system.queryUrl()),
                new JdbcTemplate(connection), system::awaitProjectionsCaughtUp);

        FuzzReport report;
        try {
            report = fuzzer.run();
        } finally {
            connection.destroy();
        }
        report.write(Path.of("target", "fuzz"), seed.script());
        System.out.println(report.render());

        assertThat(report.operationsWithoutCases()).as("operations no case reached: raise -Dfuzz.tries or "
                + "-Dfuzz.seconds (OpenApiContractIT checks that the documents list every endpoint)").isEmpty();
        assertThat(report.throttledShare()).as("share of 429 answers: raise the limits with -Dfuzz.settings")
                .isLessThan(0.3);
        assertThat(report.failing()).as("kinds of failure (seed " + settings.seed()
                + "; the whole report, curl commands included, is above and in target/fuzz/report.txt)").isEmpty();
    }
}
