package dev.svcaccounts.infra.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemCounterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProblemCounter counter = new ProblemCounter(registry);

    @Test
    void refusalsAndFailures_areCountedByStatusAndCode_otherAnswersNot() {
        ProblemDetail refused = ProblemDetail.forStatus(HttpStatus.FORBIDDEN);
        refused.setType(URI.create(ProblemCounter.TYPE_PREFIX + "workspace-admin-required"));
        counter.count(refused);
        counter.count(refused);
        counter.count(503, "database-unavailable");
        counter.count(200, "fine");

        assertThat(registry.get("svcaccounts.refusals").tags("status", "403", "code", "workspace-admin-required")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("svcaccounts.failures").tags("status", "503", "code", "database-unavailable")
                .counter().count()).isEqualTo(1);
        assertThat(registry.find("svcaccounts.refusals").tags("code", "fine").counter()).isNull();
    }

    @Test
    void aProblemOfAnotherType_countsAsOther() {
        ProblemDetail foreign = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        foreign.setType(URI.create("https://example.com/whatever/" + "x".repeat(50)));
        counter.count(foreign);

        assertThat(registry.get("svcaccounts.refusals").tags("status", "400", "code", "other").counter().count())
                .isEqualTo(1);
    }

    @Test
    void theSeriesStayBounded_whateverTheCodes() {
        for (int i = 0; i < 3 * ProblemCounter.MAX_SERIES; i++) {
            counter.count(400, "code-" + i);
        }

        assertThat(registry.find("svcaccounts.refusals").counters()).hasSizeLessThanOrEqualTo(
                ProblemCounter.MAX_SERIES + 1);
        assertThat(registry.get("svcaccounts.refusals").tags("status", "400", "code", "other").counter().count())
                .isGreaterThanOrEqualTo(2 * ProblemCounter.MAX_SERIES);
    }
}
