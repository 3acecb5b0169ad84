package dev.svcaccounts.command.project;

/**
 * A command that acts within one project and nowhere else: the only kind a scoped token may send (its rules cap the
 * actor's access there by the token's scope). Every other command is workspace-level.
 */
public interface WithinProject {

    String projectKey();
}
