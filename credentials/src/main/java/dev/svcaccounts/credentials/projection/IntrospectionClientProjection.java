package dev.svcaccounts.credentials.projection;

import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.IntrospectionClientRegisteredEvent;
import dev.svcaccounts.events.IntrospectionClientRevokedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * Keeps {@code auth_introspection_client}, which {@code /v1/introspect} authenticates its clients against, in the
 * transaction that appends the events (the subscribing {@value CredentialProjection#PROCESSING_GROUP} group, as
 * {@link CredentialProjection}): a client revoked by a command that has returned is refused on its next request.
 */
@Component
@ProcessingGroup(CredentialProjection.PROCESSING_GROUP)
class IntrospectionClientProjection {

    private final JdbcTemplate jdbc;

    IntrospectionClientProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(IntrospectionClientRegisteredEvent event, @org.axonframework.eventhandling.Timestamp Instant at,
            @MetaDataValue(AuditMetadata.ACTOR_NAME) String actor) {
        jdbc.update("""
                INSERT INTO command_side.auth_introspection_client
                    (client_id, secret_hash, hint, name, description, registered_at, registered_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (client_id) DO NOTHING
                """, event.clientId(), event.secretHash(), event.hint(), event.name(), event.description(),
                Timestamp.from(at), actor);
    }

    @EventHandler
    void on(IntrospectionClientRevokedEvent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE command_side.auth_introspection_client SET revoked_at = ? "
                + "WHERE client_id = ? AND revoked_at IS NULL", Timestamp.from(at), event.clientId());
    }
}
