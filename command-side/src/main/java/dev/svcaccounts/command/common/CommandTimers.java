package dev.svcaccounts.command.common;

import dev.svcaccounts.infra.metrics.LatencyBuckets;
import dev.svcaccounts.refusals.DomainRuleException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.ExecutionResult;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;

import java.util.concurrent.TimeUnit;

/**
 * {@code svcaccounts_command_handling_seconds{command, outcome}}: each command from its handler's start (the
 * transaction already begun) to its commit, so the workspace's load, the rules, the append and the COMMIT, or to
 * its rollback. Outcomes: {@code success}, {@code refused} (a rule said no: a 4xx), {@code conflict} (another node
 * changed the workspace first; {@code CommandSender} sends it again) and {@code failure}. Axon's per-message monitors
 * stay off (docs/performance.md): the four timers of a command type are registered on its first command and then
 * found through a {@link ClassValue}, so a command costs two clock reads, two callbacks and one histogram update.
 */
@Component
class CommandTimers implements MessageHandlerInterceptor<CommandMessage<?>> {

    private record Outcomes(Timer success, Timer refused, Timer conflict, Timer failure) {

        Timer of(ExecutionResult result) {
            Throwable failed = result == null ? null : result.getExceptionResult();
            if (failed instanceof DomainRuleException) {
                return refused;
            }
            return failed instanceof ConcurrencyException ? conflict : failure;
        }
    }

    private final ClassValue<Outcomes> byType;

    CommandTimers(MeterRegistry registry) {
        this.byType = new ClassValue<>() {
            @Override
            protected Outcomes computeValue(Class<?> type) {
                String command = type.getSimpleName();
                return new Outcomes(timer(registry, command, "success"), timer(registry, command, "refused"),
                        timer(registry, command, "conflict"), timer(registry, command, "failure"));
            }
        };
    }

    private static Timer timer(MeterRegistry registry, String command, String outcome) {
        return Timer.builder("svcaccounts.command.handling")
                .description("Commands handled, from the handler's start to the commit or rollback of their "
                        + "transaction, by command and outcome")
                .tag("command", command)
                .tag("outcome", outcome)
                .serviceLevelObjectives(LatencyBuckets.BOUNDARIES)
                .register(registry);
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        long start = System.nanoTime();
        Outcomes timers = byType.get(unitOfWork.getMessage().getPayloadType());
        unitOfWork.afterCommit(u -> timers.success().record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        unitOfWork.onRollback(u -> timers.of(u.getExecutionResult())
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        return chain.proceed();
    }
}
