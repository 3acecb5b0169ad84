package dev.svcaccounts.query.audit;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.WorkspaceEvent;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditEntryMapperTest {

    @Test
    void rename_showsBeforeAndAfter_ofWhatChangedOnly() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(
                new ServiceAccountUpdatedEvent("acme", "sa-1", "ci-main", "CI", "ci-pipeline", "CI"));
        assertThat(described.type()).isEqualTo("service_account.updated");
        assertThat(described.subjectId()).isEqualTo("sa-1");
        assertThat(described.details()).containsOnlyKeys("name");
        assertThat(described.details().get("name")).isEqualTo(Map.of("before", "ci-pipeline", "after", "ci-main"));
    }

    @Test
    void tokenRevocation_namesTheTokenItsOwnerAndWhy() {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(new TokenRevokedEvent(
                "acme", "tok-1", PrincipalRef.serviceAccount("sa-1"), TokenRevocationCause.ACCOUNT_DEACTIVATED));
        assertThat(described.subjectType()).isEqualTo("token");
        assertThat(described.details()).containsEntry("cause", "account_deactivated")
                .containsEntry("owner", Map.of("type", "service_account", "id", "sa-1"));
    }

    @Test
    void everyEventType_hasAnAuditDescription() throws ReflectiveOperationException {
        // a new event type without a description would stop the audit projection: fail here instead
        for (Class<?> type : WorkspaceEvent.class.getPermittedSubclasses()) {
            RecordComponent[] components = type.getRecordComponents();
            Object[] arguments = new Object[components.length];
            Class<?>[] parameterTypes = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                parameterTypes[i] = components[i].getType();
                arguments[i] = sample(parameterTypes[i]);
            }
            WorkspaceEvent event = (WorkspaceEvent) type.getDeclaredConstructor(parameterTypes).newInstance(arguments);
            AuditEntryMapper.Described described = AuditEntryMapper.describe(event);
            assertThat(described.type()).as(type.getSimpleName()).isIn(AuditEntryMapper.TYPES);
            assertThat(described.subjectId()).as(type.getSimpleName()).isNotBlank();
        }
    }

    private static Object sample(Class<?> type) {
        if (type == String.class) {
            return "x";
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type == PrincipalRef.class) {
            return PrincipalRef.user("alice");
        }
        return null;
    }
}
