package dev.svcaccounts.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.svcaccounts.events.AccessSource;
import dev.svcaccounts.events.ProjectAccess;

import java.time.Instant;
import java.util.List;

/**
 * One source of a principal's access to a project, on the wire: explicit, visibility or workspace-admin. In a
 * project's access listing an explicit grant also says who gave its current role and when; elsewhere, and for
 * the other sources, those two fields are left out.
 */
public record GrantView(String source, String role,
                        @JsonInclude(JsonInclude.Include.NON_NULL) PrincipalView grantedBy,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Instant grantedAt) {

    public GrantView(String source, String role) {
        this(source, role, null, null);
    }

    public static List<GrantView> of(ProjectAccess access) {
        return of(access, null, null);
    }

    /** The explicit grant carries {@code explicitBy} and {@code explicitAt}: the assignment that gave its role. */
    public static List<GrantView> of(ProjectAccess access, PrincipalView explicitBy, Instant explicitAt) {
        return access.grants().stream().map(g -> g.source() == AccessSource.EXPLICIT
                ? new GrantView(g.source().wireName(), g.role().wireName(), explicitBy, explicitAt)
                : new GrantView(g.source().wireName(), g.role().wireName())).toList();
    }
}
