package dev.svcaccounts.query.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.svcaccounts.credentials.ActiveToken;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectPermission;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 7662 introspection response. An inactive token gets {@code {"active": false}} and nothing else, so the
 * answer says nothing about why. {@code scope} lists {@code <key>:<permission>} for every permission the token
 * has, sorted; it is left out, like {@code exp} without an expiry, when there is none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record IntrospectionView(boolean active, String sub,
                         @JsonProperty("principal_type") String principalType,
                         String username, String name, String workspace,
                         @JsonProperty("workspace_role") String workspaceRole,
                         @JsonProperty("token_id") String tokenId,
                         @JsonProperty("token_type") String tokenType,
                         Long iat, Long exp, Map<String, String> projects, String scope) {

    static final IntrospectionView INACTIVE = new IntrospectionView(false, null, null, null, null, null, null, null,
            null, null, null, null, null);

    static IntrospectionView of(ActiveToken token, List<ProjectAccessView> accessible) {
        AuthenticatedPrincipal principal = token.principal();
        Map<String, String> projects = new LinkedHashMap<>();
        List<String> scopes = new ArrayList<>();
        for (ProjectAccessView project : accessible) {
            project.access().ifPresent(access -> {
                projects.put(project.key(), access.role().wireName());
                for (ProjectPermission permission : access.role().permissions()) {
                    scopes.add(project.key() + ":" + permission.wireName());
                }
            });
        }
        Collections.sort(scopes);
        boolean user = principal.type() == PrincipalType.USER;
        return new IntrospectionView(true, principal.id(), principal.type().name().toLowerCase(),
                user ? principal.id() : null, principal.name(), principal.workspaceId(),
                user && principal.role() != null ? principal.role().name().toLowerCase() : null,
                principal.tokenId(), "Bearer", epochSeconds(token.issuedAt()), epochSeconds(token.expiresAt()),
                projects, scopes.isEmpty() ? null : String.join(" ", scopes));
    }

    private static Long epochSeconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }
}
