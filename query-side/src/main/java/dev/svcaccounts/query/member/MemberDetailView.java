package dev.svcaccounts.query.member;

import dev.svcaccounts.credentials.ProjectAccessStore.PrincipalAccess;
import dev.svcaccounts.query.AccessibleProjectView;
import dev.svcaccounts.query.PrincipalView;

import java.time.Instant;
import java.util.List;

/**
 * A member with every project it has access to right now, the effective role and why. {@code addedAt} and
 * {@code addedBy} come from the read model and are null for the moment it lags behind a new member.
 */
record MemberDetailView(String username, String role, Instant addedAt, PrincipalView addedBy,
                        List<AccessibleProjectView> projects) {

    static MemberDetailView of(String username, PrincipalAccess access, MemberView added) {
        return new MemberDetailView(username, access.workspaceRole().name().toLowerCase(),
                added == null ? null : added.addedAt(), added == null ? null : added.addedBy(),
                AccessibleProjectView.of(access.projects()));
    }
}
