package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.token.RevokeTokenCommand;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceTargetResolverTest {

    record Versioned(@TargetAggregateIdentifier String id, @TargetAggregateVersion Long version) {
    }

    record Twice(@TargetAggregateIdentifier String id, @TargetAggregateIdentifier String other) {
    }

    static final class NotARecord {
        @TargetAggregateIdentifier
        private final String id = "ws-9";
    }

    private final WorkspaceTargetResolver resolver = new WorkspaceTargetResolver();
    private final AnnotationCommandTargetResolver axon = AnnotationCommandTargetResolver.builder().build();

    @Test
    void aWorkspaceCommandIsResolvedAsAxonResolvesIt_throughItsAnnotatedComponent() {
        RevokeTokenCommand command = new RevokeTokenCommand("ws-1", null, "t-1", null);

        VersionedAggregateIdentifier target = resolver.resolveTarget(GenericCommandMessage.asCommandMessage(command));

        assertThat(target.getIdentifierValue()).isEqualTo("ws-1");
        assertThat(target.getVersion()).isNull();
        assertThat(target).isEqualTo(axon.resolveTarget(GenericCommandMessage.asCommandMessage(command)));
        assertThat(WorkspaceTargetResolver.targetField(RevokeTokenCommand.class)).isPresent();
    }

    @Test
    void aCommandWithoutItsTargetIsRefusedByAxonsOwnRule() {
        RevokeTokenCommand command = new RevokeTokenCommand(null, null, "t-1", null);

        assertThatThrownBy(() -> resolver.resolveTarget(GenericCommandMessage.asCommandMessage(command)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not identify the target");
    }

    @Test
    void anythingElseIsLeftToAxon() {
        assertThat(WorkspaceTargetResolver.targetField(Versioned.class)).isEmpty();
        assertThat(WorkspaceTargetResolver.targetField(Twice.class)).isEmpty();
        assertThat(WorkspaceTargetResolver.targetField(NotARecord.class)).isEmpty();

        VersionedAggregateIdentifier versioned =
                resolver.resolveTarget(GenericCommandMessage.asCommandMessage(new Versioned("ws-2", 7L)));
        assertThat(versioned.getIdentifierValue()).isEqualTo("ws-2");
        assertThat(versioned.getVersion()).isEqualTo(7L);
        assertThat(resolver.resolveTarget(GenericCommandMessage.asCommandMessage(new NotARecord()))
                .getIdentifierValue()).isEqualTo("ws-9");
    }
}
