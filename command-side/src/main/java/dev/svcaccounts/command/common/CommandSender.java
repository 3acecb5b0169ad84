package dev.svcaccounts.command.common;

import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.web.AuditContext;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * Sends a command on behalf of the caller and waits until its events are committed. The audit metadata put
 * on the command (who, with which token, from where, why) is copied by Axon onto every event it produces.
 */
@Component
public class CommandSender {

    private final CommandGateway gateway;

    public CommandSender(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R send(Object command, AuthenticatedPrincipal principal, AuditContext context) {
        Map<String, Object> audit = new HashMap<>();
        put(audit, AuditMetadata.ACTOR_TYPE, principal.type().name());
        put(audit, AuditMetadata.ACTOR_ID, principal.id());
        put(audit, AuditMetadata.ACTOR_NAME, principal.name());
        put(audit, AuditMetadata.ACTOR_TOKEN_ID, principal.tokenId());
        put(audit, AuditMetadata.REQUEST_ID, context.requestId());
        put(audit, AuditMetadata.CLIENT_IP, context.clientIp());
        put(audit, AuditMetadata.USER_AGENT, context.userAgent());
        put(audit, AuditMetadata.REASON, context.reason());
        return gateway.sendAndWait(command, MetaData.from(audit));
    }

    private static void put(Map<String, Object> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }
}
