package dev.svcaccounts.command.policy;

import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.events.TokenPolicySetEvent;

import java.time.Instant;

/** The Workspace aggregate's memory of its credential policy: the one in force and where idle time counts from. */
public class TokenPolicyState {

    private TokenPolicy policy = TokenPolicy.DEFAULT;
    private Instant idleCountsFrom;

    public TokenPolicy policy() {
        return policy;
    }

    /** See {@link TokenPolicySetEvent#idleCountsFrom()}. */
    public Instant idleCountsFrom() {
        return idleCountsFrom;
    }

    public void set(TokenPolicySetEvent event) {
        policy = event.policy();
        idleCountsFrom = event.idleCountsFrom();
    }
}
