package dev.svcaccounts.infra.axon;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

import java.sql.PreparedStatement;
import java.time.Instant;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

class TimedEventStorageEngineTest {

    /** The text is Axon's, and Axon's formatter (about 2% of the command side per command) is not on the way. */
    @Test
    void anEventsTimestamp_isBoundAsTheTextAxonWrites_withoutAxonsFormatter() throws Exception {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        TimedEventStorageEngine engine = new TimedEventStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .connectionProvider(() -> {
                    throw new AssertionError("no statement runs here");
                })
                .transactionManager(NoTransactionManager.INSTANCE), new SimpleMeterRegistry());
        PreparedStatement statement = mock(PreparedStatement.class);
        Instant at = Instant.parse("2026-12-07T06:59:10.123456Z");
        String axonsText = DateTimeUtils.formatInstant(at);

        try (MockedStatic<DateTimeUtils> formatter = mockStatic(DateTimeUtils.class)) {
            engine.writeTimestamp(statement, 3, at);
            formatter.verifyNoInteractions();
        }

        verify(statement).setString(3, axonsText);
        verifyNoMoreInteractions(statement);
    }
}
