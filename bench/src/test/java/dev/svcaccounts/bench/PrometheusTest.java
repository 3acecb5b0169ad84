package dev.svcaccounts.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTest {

    private static final String SCRAPE = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{application="query-side",area="heap",id="PS Eden Space"} 1.048576E7
            jvm_memory_used_bytes{application="query-side",area="heap",id="PS Old Gen"} 3.0E7
            jvm_memory_used_bytes{application="query-side",area="nonheap",id="Metaspace"} 5.6E7
            jvm_memory_usage_after_gc{application="query-side",area="heap",pool="long-lived"} 0.25
            jvm_gc_max_data_size_bytes{application="query-side"} 2.68435456E8
            jvm_threads_live_threads{application="query-side"} 47.0
            svcaccounts_processor_lag_events{application="query-side",processor="audit"} 12.0
            svcaccounts_processor_lag_events{application="query-side",processor="members"} 3.0
            hikaricp_connections{application="query-side",pool="HikariPool-1"} 10.0
            hikaricp_connections_active{application="query-side",pool="HikariPool-1"} 9.0
            http_server_requests_seconds_count{application="query-side",method="GET",status="200",uri="/v1/x/{key}"} 2
            some_gauge NaN
            """;

    @Test
    void sumsAndMaximaOverTheSamplesWhoseLabelsMatch() {
        Prometheus p = Prometheus.parse(SCRAPE);

        assertThat(p.sum("jvm_memory_used_bytes", "area", "heap")).isEqualTo(4.048576E7);
        assertThat(p.sum("jvm_memory_used_bytes")).isEqualTo(9.648576E7);
        assertThat(p.max("svcaccounts_processor_lag_events")).isEqualTo(12.0);
        assertThat(p.max("jvm_memory_usage_after_gc", "area", "heap", "pool", "long-lived")).isEqualTo(0.25);
        assertThat(p.sum("hikaricp_connections")).isEqualTo(10.0); // not hikaricp_connections_active
        assertThat(p.sum("http_server_requests_seconds_count", "status", "200")).isEqualTo(2.0);
    }

    @Test
    void aMetricThatIsNotThereIsNaNNotZero() {
        Prometheus p = Prometheus.parse(SCRAPE);

        assertThat(p.sum("jvm_memory_used_bytes", "area", "offheap")).isNaN();
        assertThat(p.max("no_such_metric")).isNaN();
        assertThat(Prometheus.parse("").sum("jvm_threads_live_threads")).isNaN();
    }
}
