package dev.svcaccounts.command.common;

import dev.svcaccounts.refusals.DomainRuleException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandTimersTest {

    record PingCommand(String id) {
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CommandTimers timers = new CommandTimers(registry);

    @Test
    void eachCommandIsTimedOnce_byItsTypeAndOutcome() {
        handle(() -> "done");
        handle(() -> "done again");
        handle(() -> {
            throw DomainRuleException.forbidden("workspace-admin-required", "no");
        });
        handle(() -> {
            throw new ConcurrencyException("another node appended first");
        });
        handle(() -> {
            throw new IllegalStateException("a bug");
        });

        assertThat(count("success")).isEqualTo(2);
        assertThat(count("refused")).isEqualTo(1);
        assertThat(count("conflict")).isEqualTo(1);
        assertThat(count("failure")).isEqualTo(1);
    }

    private void handle(InterceptorChain handler) {
        CommandMessage<?> command = GenericCommandMessage.asCommandMessage(new PingCommand("1"));
        DefaultUnitOfWork<CommandMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(command);
        unitOfWork.executeWithResult(() -> timers.handle(unitOfWork, handler));
    }

    private long count(String outcome) {
        return registry.get("svcaccounts.command.handling").tags("command", "PingCommand", "outcome", outcome)
                .timer().count();
    }
}
