package dev.svcaccounts.query.processor;

import jakarta.annotation.PreDestroy;
import org.axonframework.config.ConfigurerModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shares each pooled processor's segments fairly between the nodes that run it. Every node records a heartbeat
 * in {@code <schema>.processor_node} every two seconds; the nodes seen in the last six seconds are the live
 * ones, and each may hold at most ceil(segments / live nodes) segments of a processor. That limit is Axon's own
 * {@code maxSegmentProvider}: a node above it releases its surplus and a node below it claims free segments,
 * both in Axon's coordinator. So a node that joins gets its share within seconds, and when a node dies the
 * limit rises and the survivors take its segments once their claims time out. The database clock decides
 * liveness, so the nodes' clocks need not agree.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("svcaccounts.segment-balancing.enabled")
public class SegmentBalancing {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancing.class);
    static final long HEARTBEAT_MILLIS = 2000;
    static final String LIVE_WITHIN = "6 seconds";

    private final JdbcTemplate jdbc;
    private final String nodes;
    private final String tokens;
    private final String nodeId = UUID.randomUUID().toString();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "segment-balancing-heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    private volatile int liveNodes = 1;
    private final Map<String, Integer> segmentCounts = new ConcurrentHashMap<>();

    public SegmentBalancing(JdbcTemplate jdbc, @Value("${svcaccounts.token-store-schema}") String schema) {
        this.jdbc = jdbc;
        this.nodes = schema + ".processor_node";
        this.tokens = schema + ".token_entry";
    }

    @Bean
    ConfigurerModule fairShareOfSegments() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration(
                        (configuration, builder) -> builder.maxSegmentProvider(this::maxSegments)));
    }

    /** Once the application runs (its migrations done); until the first beat a node takes what it finds. */
    @EventListener(ApplicationReadyEvent.class)
    void startBeating() {
        heartbeat.scheduleWithFixedDelay(this::beat, 0, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The most segments of this processor this node may hold now; at least 1. */
    int maxSegments(String processorName) {
        int segments = segmentCounts.getOrDefault(processorName, 0);
        if (segments == 0) {
            return Short.MAX_VALUE; // not initialised yet: take what is there
        }
        return Math.max(1, (segments + liveNodes - 1) / liveNodes);
    }

    private void beat() {
        try {
            jdbc.update("INSERT INTO " + nodes + " (node_id, last_seen) VALUES (?, now()) "
                    + "ON CONFLICT (node_id) DO UPDATE SET last_seen = now()", nodeId);
            Integer live = jdbc.queryForObject("SELECT count(*) FROM " + nodes
                    + " WHERE last_seen > now() - interval '" + LIVE_WITHIN + "'", Integer.class);
            int now = live == null ? 1 : Math.max(1, live);
            if (now != liveNodes) {
                log.info("{} nodes share the processors' segments now (were {})", now, liveNodes);
                liveNodes = now;
            }
            jdbc.query("SELECT processor_name, count(*) AS segments FROM " + tokens + " GROUP BY processor_name",
                    rs -> {
                        segmentCounts.put(rs.getString("processor_name"), rs.getInt("segments"));
                    });
            jdbc.update("DELETE FROM " + nodes + " WHERE last_seen < now() - interval '1 hour'");
        } catch (RuntimeException e) {
            // the database may be away for a while; the last known share stays in force meanwhile
            log.debug("Heartbeat failed: {}", e.getMessage());
        }
    }

    /** A node that stops cleanly leaves at once, so the others take its share without waiting. */
    @PreDestroy
    void leave() {
        heartbeat.shutdownNow();
        try {
            jdbc.update("DELETE FROM " + nodes + " WHERE node_id = ?", nodeId);
        } catch (RuntimeException e) {
            log.debug("Could not leave: {}", e.getMessage());
        }
    }
}
