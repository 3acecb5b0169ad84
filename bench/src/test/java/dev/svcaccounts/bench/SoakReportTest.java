package dev.svcaccounts.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SoakReportTest {

    /** Six minutes: the command side's old generation grows 2 MB a minute, the rest stays put. */
    private static Results sixMinutes() {
        Results r = new Results().put("soak.minutes", 6).put("soak.clients", 8).put("soak.target_rps", 150.0)
                .put("soak.capacity_rps", 300.0).put("kind.capacity.errors", 0);
        for (int m = 1; m <= 6; m++) {
            String p = String.format("soak.m%03d.", m);
            r.put(p + "load.rps", 150.0).put(p + "load.target_rps", 150.0).put(p + "load.errors", m == 4 ? 3 : 0)
                    .put(p + "load.p50_ms", 2.0).put(p + "load.p99_ms", 20.0)
                    .put(p + "command_side.old_after_gc_mb", 40.0 + 2 * m).put(p + "command_side.rss_mb", 400.0)
                    .put(p + "query_side.lag_events", 0.0).put(p + "query_side.jvm_threads", 47.0);
        }
        return r.put("soak.unexpected.issue_token.503", 3);
    }

    @Test
    void everyMinuteHasItsRowInEachProcesssTable() {
        String report = new SoakReport(sixMinutes()).render();

        assertThat(report).contains("Load\nminute", "Command side\nminute", "Query side\nminute", "PostgreSQL");
        assertThat(report.lines().filter(l -> l.matches("6 +150\\.0 +150\\.0 .*"))).hasSize(1);
        assertThat(report.lines().filter(l -> l.startsWith("4 ")).findFirst().orElseThrow()).contains(" 3 ");
    }

    @Test
    void aGrowingSeriesShowsItsGrowthAndSlope() {
        String report = new SoakReport(sixMinutes()).render();

        // first 2 minutes 43.0, last 2 minutes 51.0: +8 MB, +18.6 %, 2 MB a minute = 120 MB an hour
        assertThat(line(report, "command side: old gen after GC MB"))
                .containsSubsequence("43.0", "51.0", "8.0", "+18.6", "120.0", "42.0", "52.0");
        assertThat(line(report, "query side: lag events")).containsSubsequence("0", "0", "0", "-", "0");
    }

    @Test
    void unexpectedAnswersAreListedByKindAndStatus() {
        assertThat(new SoakReport(sixMinutes()).render()).contains("  issue_token 503: 3");
        Results none = sixMinutes();
        Results clean = new Results();
        none.keysStartingWith("").stream().filter(k -> !k.startsWith("soak.unexpected."))
                .forEach(k -> clean.put(k, none.string(k)));
        assertThat(new SoakReport(clean).render()).contains("Unexpected answers during the soak: none");
    }

    @Test
    void theReportCommandRendersTheSoakWhenTheResultsAreASoaks(@TempDir Path dir) throws Exception {
        sixMinutes().write(dir.resolve("soak.properties"));
        Report.run(new Options(List.of("--results", dir.toString(), "--out", dir.resolve("report.txt").toString())));

        assertThat(Files.readString(dir.resolve("report.txt"))).startsWith("Soak of").contains("Trend of each series");
    }

    @Test
    void eachMinuteIsOneLinePerProcessOnStderr() {
        Map<String, Double> row = new LinkedHashMap<>();
        Results r = sixMinutes();
        for (String key : r.keysStartingWith("soak.m002.")) {
            row.put(key.substring("soak.m002.".length()), r.number(key));
        }
        List<String> lines = SoakReport.minuteLines(2, 30, row).lines().toList();

        assertThat(lines).hasSize(4).allMatch(l -> l.startsWith("[soak] minute 2/30 "));
        assertThat(lines.get(0)).contains("load: 150.0 req/s (target 150.0), 0 errors, p50 2.00 ms, p99 20.0 ms");
        assertThat(lines.get(1)).contains("command side: ", "old gen after GC 44.0 MB", "RSS 400 MB");
        assertThat(lines.get(2)).contains("query side: ", "47 JVM threads", "lag 0 events");
        assertThat(lines.get(3)).contains("postgres: ");
    }

    private static String line(String report, String start) {
        return report.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starts with '" + start + "' in\n" + report));
    }
}
