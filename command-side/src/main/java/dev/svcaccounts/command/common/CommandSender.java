package dev.svcaccounts.command.common;

import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.web.AuditContext;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends a command on behalf of the caller and waits until its events are committed. The audit metadata put
 * on the command (who, with which token, from where, why) is copied by Axon onto every event it produces.
 * <p>
 * A command that lost a race for its workspace to another command node (both appended at the same sequence
 * number; the database took one) is sent again: it is re-run against the winner's events, so the rules are
 * checked again and nothing of the failed attempt remains. Only after {@value #MAX_ATTEMPTS} lost races does
 * the caller get {@code 409 concurrent-modification}.
 */
@Component
public class CommandSender {

    static final int MAX_ATTEMPTS = 10;

    private final CommandGateway gateway;

    public CommandSender(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R send(Object command, AuthenticatedPrincipal principal, AuditContext context) {
        MetaData metaData = MetaData.from(context.metadata(principal));
        for (int attempt = 1; ; attempt++) {
            try {
                return gateway.sendAndWait(command, metaData);
            } catch (ConcurrencyException lostRace) {
                if (attempt == MAX_ATTEMPTS || !pause(attempt)) {
                    throw lostRace;
                }
            }
        }
    }

    /** A short, random pause, so two nodes that collided do not collide again in lockstep. */
    private static boolean pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
