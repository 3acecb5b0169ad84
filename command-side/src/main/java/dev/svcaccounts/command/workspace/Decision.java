package dev.svcaccounts.command.workspace;

import dev.svcaccounts.events.WorkspaceEvent;

import java.util.List;

/**
 * What a rule decided about a command: the events to record, in the order they are applied, and what the command
 * handler returns (null for a handler that returns nothing). A refusal is a thrown exception, never a decision.
 */
public record Decision<R>(List<WorkspaceEvent> events, R result) {

    public Decision {
        events = List.copyOf(events);
    }

    public static Decision<Void> of(WorkspaceEvent... events) {
        return new Decision<>(List.of(events), null);
    }

    public static Decision<Void> of(List<? extends WorkspaceEvent> events) {
        return new Decision<>(List.copyOf(events), null);
    }

    public static <R> Decision<R> returning(R result, WorkspaceEvent... events) {
        return new Decision<>(List.of(events), result);
    }

    public static <R> Decision<R> returning(R result, List<? extends WorkspaceEvent> events) {
        return new Decision<>(List.copyOf(events), result);
    }
}
