package dev.svcaccounts.command.workspace;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Around every command's handler, inside its unit of work and transaction: a refusal, a failure or a command that
 * changed nothing, decided on a cached workspace that another node has since moved past, becomes a lost race
 * ({@code ConcurrencyException}), sent again by {@code CommandSender} (and the idle sweeper) on the current state,
 * instead of its answer ({@link CatchingUpRepository#requireCurrent}). Costs nothing for a command that appended
 * events or loaded its workspace from the store.
 */
final class StaleDecisions implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final CatchingUpRepository<?> workspaces;

    StaleDecisions(CatchingUpRepository<?> workspaces) {
        this.workspaces = workspaces;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object result;
        try {
            result = chain.proceed();
        } catch (ConcurrencyException lostRace) {
            throw lostRace; // sent again anyway
        } catch (Exception failed) {
            workspaces.requireCurrent(unitOfWork, failed);
            throw failed;
        }
        workspaces.requireCurrent(unitOfWork, null);
        return result;
    }
}
