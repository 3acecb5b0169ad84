package dev.svcaccounts.query.serviceaccount;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.svcaccounts.query.AccessibleProjectView;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.TokenView;
import dev.svcaccounts.query.federation.FederationRuleView;

import java.time.Instant;
import java.util.List;

/**
 * A service account. Workspace admins get every field; a project owner who is not an admin gets its
 * {@link #summary()}: {@code id}, {@code name}, {@code description}, {@code status}, {@code createdAt} only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceAccountView(String id, String name, String description, String status, Instant createdAt,
                                 PrincipalView createdBy, Instant updatedAt, Instant deactivatedAt,
                                 String deactivationReason, Instant deletedAt, Integer activeTokens,
                                 List<TokenView> tokens,
                                 List<ProjectRoleView> projects, List<AccessibleProjectView> access,
                                 List<FederationRuleView> federationRules) {

    /** A project the account is assigned to, with the role it was assigned. */
    public record ProjectRoleView(String key, String role) {
    }

    /**
     * The detail view: every token's metadata, the account's assignments ({@code projects}, assigned roles, kept
     * while it is deactivated), its effective access right now ({@code access}, empty while deactivated) and its
     * federation rules in force ({@code federationRules}).
     */
    public ServiceAccountView withDetails(List<TokenView> allTokens, List<ProjectRoleView> assignments,
                                          List<AccessibleProjectView> effective, List<FederationRuleView> rules) {
        return new ServiceAccountView(id, name, description, status, createdAt, createdBy, updatedAt, deactivatedAt,
                deactivationReason, deletedAt, activeTokens, allTokens, assignments, effective, rules);
    }

    /** What a project owner sees, enough to assign the account: no token count, no audit fields, no access. */
    public ServiceAccountView summary() {
        return new ServiceAccountView(id, name, description, status, createdAt, null, null, null, null, null, null,
                null, null, null, null);
    }
}
