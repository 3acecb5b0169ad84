package dev.svcaccounts.command.policy;

import dev.svcaccounts.credentials.IdleTokens;
import dev.svcaccounts.events.AuditMetadata;
import jakarta.annotation.PreDestroy;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Revokes idle tokens: every {@code svcaccounts.idle-sweep.interval} (a minute by default) each command node looks
 * for working tokens unused for longer than their workspace's credential policy allows ({@link IdleTokens}) and sends
 * one {@link RevokeIdleTokensCommand} per workspace. The Workspace aggregate decides each token again and revokes it
 * (cause IDLE) only while it still works, so when two nodes sweep at once the second finds nothing left to do: each
 * token is revoked once. The events carry no actor (the system acts) and the policy's rule as their reason.
 */
@Component
public class IdleTokenSweeper {

    private static final Logger log = LoggerFactory.getLogger(IdleTokenSweeper.class);
    /** Tokens looked at per sweep; more wait for the next one. */
    static final int BATCH = 1000;
    private static final int ATTEMPTS = 5;

    private final IdleTokens idleTokens;
    private final CommandGateway commands;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "idle-token-sweep");
        thread.setDaemon(true);
        return thread;
    });

    IdleTokenSweeper(IdleTokens idleTokens, CommandGateway commands, Clock clock,
                     @Value("${svcaccounts.idle-sweep.interval:1m}") Duration interval) {
        this.idleTokens = idleTokens;
        this.commands = commands;
        this.clock = clock;
        this.interval = interval;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("Idle-token sweep failed, will try again: {}",
                    NestedExceptionUtils.getMostSpecificCause(e).getMessage());
        }
    }

    /** One sweep, now; returns how many tokens it revoked. */
    public int sweep() {
        Map<String, List<IdleTokens.Candidate>> byWorkspace = new LinkedHashMap<>();
        for (IdleTokens.Candidate candidate : idleTokens.find(clock.instant(), BATCH)) {
            byWorkspace.computeIfAbsent(candidate.workspaceId(), ws -> new ArrayList<>()).add(candidate);
        }
        int revoked = 0;
        for (Map.Entry<String, List<IdleTokens.Candidate>> workspace : byWorkspace.entrySet()) {
            try {
                revoked += revokeIn(workspace.getKey(), workspace.getValue());
            } catch (RuntimeException e) {
                log.warn("Could not revoke idle tokens of workspace '{}', will try again: {}", workspace.getKey(),
                        NestedExceptionUtils.getMostSpecificCause(e).getMessage());
            }
        }
        if (revoked > 0) {
            log.info("Revoked {} idle tokens", revoked);
        }
        return revoked;
    }

    private int revokeIn(String workspaceId, List<IdleTokens.Candidate> candidates) {
        RevokeIdleTokensCommand command = new RevokeIdleTokensCommand(workspaceId, candidates.stream()
                .map(c -> new RevokeIdleTokensCommand.Candidate(c.tokenId(), c.lastUsedAt())).toList());
        MetaData metaData = MetaData.with(AuditMetadata.REASON, "unused for more than "
                + candidates.get(0).maxIdleDays() + " days (the workspace's credential policy)");
        for (int attempt = 1; ; attempt++) {
            try {
                Integer count = commands.sendAndWait(command, metaData);
                return count == null ? 0 : count;
            } catch (ConcurrencyException lostRace) {
                // another node appended first: decide again on its events
                if (attempt == ATTEMPTS) {
                    throw lostRace;
                }
            }
        }
    }
}
