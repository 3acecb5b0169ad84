package dev.svcaccounts.command.project;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectRole;

/** What an assignment command left: the role now held, and the one before (null when newly assigned). */
public record AssignmentResult(String projectKey, PrincipalRef assignee, ProjectRole role, ProjectRole previousRole) {
}
