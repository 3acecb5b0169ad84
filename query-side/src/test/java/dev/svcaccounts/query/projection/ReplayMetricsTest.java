package dev.svcaccounts.query.projection;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ReplayMetricsTest {

    private final ProjectionStatuses statuses = mock(ProjectionStatuses.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ReplayMetrics metrics = new ReplayMetrics(statuses, registry);

    @Test
    void aReplayShowsItsPositionAndTarget_aLiveGroupZeros() {
        when(statuses.names()).thenReturn(List.of("audit", "members"));
        ProjectionStatus.ReplayStatus replaying = new ProjectionStatus.ReplayStatus(Instant.EPOCH, "operator",
                "rebuild", Instant.EPOCH, 1000L, 400L, 40);
        when(statuses.all()).thenReturn(List.of(
                new ProjectionStatus("audit", "replaying", 400, 1000, 600, List.of(), replaying, null),
                new ProjectionStatus("members", "live", 1000, 1000, 0, List.of(), null, null)));
        metrics.registerGauges();

        assertThat(gauge("svcaccounts.replay.running", "audit")).isEqualTo(1);
        assertThat(gauge("svcaccounts.replay.position.events", "audit")).isEqualTo(400);
        assertThat(gauge("svcaccounts.replay.target.position.events", "audit")).isEqualTo(1000);
        assertThat(gauge("svcaccounts.replay.running", "members")).isZero();
        assertThat(gauge("svcaccounts.replay.position.events", "members")).isZero();
        assertThat(gauge("svcaccounts.replay.target.position.events", "members")).isZero();
    }

    @Test
    void withoutAReading_theGaugesShowNaN() {
        when(statuses.names()).thenReturn(List.of("audit"));
        when(statuses.all()).thenThrow(new IllegalStateException("the database is down"));
        metrics.registerGauges();

        assertThat(gauge("svcaccounts.replay.running", "audit")).isNaN();
    }

    private double gauge(String name, String projection) {
        return registry.get(name).tag("projection", projection).gauge().value();
    }
}
