package dev.svcaccounts.infra.axon;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AxonInfrastructureTest {

    @Test
    void theEventSchemasColumnListsAreThoseAxonWouldJoinFromItsColumns() {
        EventSchema schema = new AxonInfrastructure().eventSchema();
        EventSchema joinedByAxon = EventSchema.builder()
                .eventTable(schema.domainEventTable())
                .snapshotTable(schema.snapshotTable())
                .globalIndexColumn(schema.globalIndexColumn())
                .timestampColumn(schema.timestampColumn())
                .eventIdentifierColumn(schema.eventIdentifierColumn())
                .aggregateIdentifierColumn(schema.aggregateIdentifierColumn())
                .sequenceNumberColumn(schema.sequenceNumberColumn())
                .typeColumn(schema.typeColumn())
                .payloadTypeColumn(schema.payloadTypeColumn())
                .payloadRevisionColumn(schema.payloadRevisionColumn())
                .payloadColumn(schema.payloadColumn())
                .metaDataColumn(schema.metaDataColumn())
                .build();

        assertThat(schema.domainEventFields()).isEqualTo(joinedByAxon.domainEventFields())
                .startsWith("event_identifier, ");
        assertThat(schema.trackedEventFields()).isEqualTo(joinedByAxon.trackedEventFields())
                .startsWith("global_index, event_identifier, ");
    }
}
