package dev.svcaccounts.command.common;

import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.PrincipalType;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A removed user's idempotency keys go with it, in the transaction of its removal (the subscribing
 * {@code credentials} group): a username added again starts with nothing, not even the earlier member's answers.
 */
@Component
@ProcessingGroup("credentials")
class RemovedMemberKeys {

    private final JdbcTemplate jdbc;

    RemovedMemberKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(MemberRemovedEvent event) {
        jdbc.update("DELETE FROM command_side.idempotency_key "
                        + "WHERE workspace_id = ? AND principal_type = ? AND principal_id = ?",
                event.workspaceId(), PrincipalType.USER.name(), event.username());
    }
}
