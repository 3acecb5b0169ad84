package dev.svcaccounts.infra.axon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.svcaccounts.events.AuditMetadata;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.ChainingConverter;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Axon on plain JDBC and PostgreSQL, the same on both sides.
 * <ul>
 *   <li>Event store tables live in the {@code command_side} schema (created by the command side's Flyway);
 *       payloads and metadata are {@code bytea} JSON, the global index a {@code bigserial}.</li>
 *   <li>Each side keeps its processors' tracking tokens in its own schema.</li>
 *   <li>A handler failure propagates: streaming processors retry the batch, and the command side's
 *       subscribing credential projection rolls the command back. Nothing is skipped.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class AxonInfrastructure {

    static final String EVENT_STORE_SCHEMA = "command_side";

    /**
     * The column lists are the ones Axon's builder would join, joined once here: Axon joins them again for every
     * statement it builds (each append and each read) unless given as a function.
     */
    @Bean
    public EventSchema eventSchema() {
        String domainEventFields = String.join(", ", "event_identifier", "aggregate_identifier", "sequence_number",
                "type", "time_stamp", "payload_type", "payload_revision", "payload", "meta_data");
        String trackedEventFields = "global_index, " + domainEventFields;
        return EventSchema.builder()
                .eventTable(EVENT_STORE_SCHEMA + ".domain_event_entry")
                .snapshotTable(EVENT_STORE_SCHEMA + ".snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .domainEventFields(schema -> domainEventFields)
                .trackedEventFields(schema -> trackedEventFields)
                .build();
    }

    @Bean
    public TokenSchema tokenSchema(@Value("${svcaccounts.token-store-schema}") String schema) {
        return TokenSchema.builder()
                .setTokenTable(schema + ".token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    /**
     * Declared here because Axon's JDBC auto-configuration backs off once we declare our own event store; timed
     * ({@link TimedEventStorageEngine}). Its reads outside a transaction run without one
     * ({@link EventReadTransactions}).
     */
    @Bean
    public EventStorageEngine eventStorageEngine(Serializer serializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 org.axonframework.config.Configuration configuration,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager,
                                                 EventSchema eventSchema, MeterRegistry registry) {
        return new TimedEventStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(new EventReadTransactions(transactionManager))
                .schema(eventSchema), registry);
    }

    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new UniqueViolationResolver();
    }

    /**
     * Axon's default store polls the database once a second for events written by another process; the query
     * side is another process, so that second would be its minimum lag. A tenth of a second costs one indexed
     * query per poll. A snapshot read that fails because the database did fails the load
     * ({@link OutageAwareEventStore}).
     */
    @Qualifier("eventStore")
    @Bean(name = "eventBus")
    public EmbeddedEventStore eventStore(EventStorageEngine storageEngine,
                                         org.axonframework.config.Configuration configuration,
                                         @Value("${svcaccounts.event-poll-interval-ms:100}") long pollIntervalMillis) {
        return new OutageAwareEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(pollIntervalMillis));
    }

    @Bean
    public RevisionResolver revisionResolver() {
        return new EventRevisionResolver();
    }

    /**
     * Our own Jackson mapper for stored messages, separate from the HTTP one: the event log must stay readable
     * when fields are added, so unknown properties are tolerated here (and refused in requests).
     */
    @Bean
    @Primary
    public Serializer serializer(RevisionResolver revisionResolver) {
        ObjectMapper mapper = new ObjectMapper()
                .findAndRegisterModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return JacksonSerializer.builder()
                .objectMapper(mapper)
                .revisionResolver(revisionResolver)
                .converter(new ChainingConverter())
                .build();
    }

    @Bean
    public CorrelationDataProvider auditMetadataProvider() {
        return new SimpleCorrelationDataProvider(AuditMetadata.KEYS);
    }

    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    @Bean
    public ConfigurerModule propagateHandlerFailures() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
    }
}
