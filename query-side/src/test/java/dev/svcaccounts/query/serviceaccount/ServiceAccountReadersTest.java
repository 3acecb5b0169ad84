package dev.svcaccounts.query.serviceaccount;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectOwnership;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Who reads the workspace's service accounts, and how much: the rule, with the ownership lookup stubbed. */
class ServiceAccountReadersTest {

    /** Owners by principal id; every lookup is counted. */
    private static final class StubOwnership extends ProjectOwnership {
        private final Set<String> owners;
        private final List<String> asked = new ArrayList<>();

        StubOwnership(Set<String> owners) {
            super(null);
            this.owners = owners;
        }

        @Override
        public boolean ownsAProject(AuthenticatedPrincipal principal) {
            asked.add(principal.id());
            return owners.contains(principal.id());
        }
    }

    private final StubOwnership ownership = new StubOwnership(Set.of("olivia", "sa-owner"));
    private final ServiceAccountReaders readers = new ServiceAccountReaders(ownership);

    @Test
    void anAdminSeesEverything_withoutAnOwnershipLookup() {
        assertThat(readers.require(user("alice", WorkspaceRole.ADMIN), "acme"))
                .isEqualTo(ServiceAccountReaders.Sight.FULL);
        assertThat(ownership.asked).isEmpty();
    }

    @Test
    void anOwner_userOrServiceAccount_seesTheSummary() {
        assertThat(readers.require(user("olivia", WorkspaceRole.MEMBER), "acme"))
                .isEqualTo(ServiceAccountReaders.Sight.SUMMARY);
        assertThat(readers.require(serviceAccount("sa-owner"), "acme")).isEqualTo(ServiceAccountReaders.Sight.SUMMARY);
    }

    @Test
    void anyoneElse_is403NamingWhoMay_andAnotherWorkspace404BeforeAnyLookup() {
        for (AuthenticatedPrincipal outsider : List.of(user("max", WorkspaceRole.MEMBER), serviceAccount("sa-other"))) {
            DomainRuleException refused = catchThrowableOfType(DomainRuleException.class,
                    () -> readers.require(outsider, "acme"));
            assertThat(refused.code()).isEqualTo("project-owner-or-admin-required");
            assertThat(refused.getMessage()).contains("admins", "owners");
        }
        ownership.asked.clear();
        DomainRuleException elsewhere = catchThrowableOfType(DomainRuleException.class,
                () -> readers.require(user("olivia", WorkspaceRole.MEMBER), "other"));
        assertThat(elsewhere.code()).isEqualTo("workspace-not-found");
        assertThat(ownership.asked).isEmpty();
    }

    private static AuthenticatedPrincipal user(String username, WorkspaceRole role) {
        return new AuthenticatedPrincipal(PrincipalType.USER, username, username, "acme", role, "t-" + username);
    }

    private static AuthenticatedPrincipal serviceAccount(String id) {
        return new AuthenticatedPrincipal(PrincipalType.SERVICE_ACCOUNT, id, id, "acme", null, "t-" + id);
    }
}
