package dev.svcaccounts.credentials.projection;

import dev.svcaccounts.credentials.CredentialStore;
import dev.svcaccounts.credentials.OperatorCheck;
import dev.svcaccounts.credentials.testing.CommandSideDatabase;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.TokenSecret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Introspection by the operator's credential in one statement ({@link CredentialStore#lookupWithAccessAsOperator}):
 * the same token and listing as {@link CredentialStore#lookupWithAccess}, the caller checked against the operator
 * credential stored at that very moment (a rotation holds on the next call), nothing about the token for a caller
 * that is not the operator.
 */
class OperatorIntrospectionIT {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(AT.plusSeconds(60), ZoneOffset.UTC);
    private static final String OPERATOR = "operator-credential-0123456789-abcdefghijklmnop";

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static CredentialProjection credentials;
    private static ProjectAccessProjection projectAccess;
    private static CredentialStore store;
    /** The stored values the fake check was asked about, in order (null: none stored). */
    private static final List<String> checked = new ArrayList<>();

    /** A stand-in for the slow hash: the stored value is "stored:" + the secret. */
    private static final OperatorCheck CHECK = new OperatorCheck() {
        @Override
        public boolean isOperator(String secret) {
            List<String> stored = jdbc.queryForList("SELECT secret_hash FROM command_side.operator_credential",
                    String.class);
            return isOperator(secret, stored.isEmpty() ? null : stored.get(0));
        }

        @Override
        public boolean isOperator(String secret, String stored) {
            checked.add(stored);
            return stored != null && stored.equals("stored:" + secret);
        }
    };

    @BeforeAll
    static void database() throws IOException {
        postgres = CommandSideDatabase.start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        credentials = new CredentialProjection(jdbc);
        projectAccess = new ProjectAccessProjection(jdbc);
        store = new CredentialStore(jdbc, CLOCK, CHECK);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void operatorStored() {
        storeOperator("stored:" + OPERATOR);
        checked.clear();
    }

    @Test
    void theOperator_getsWhatTheTwoStatementsGave_withTheStoredCredentialReadInTheSameOne() {
        String ws = "ws-" + UUID.randomUUID();
        credentials.on(new ServiceAccountCreatedEvent(ws, "sa-1", "deployer", null));
        String secret = issue(ws, "t-1", PrincipalRef.serviceAccount("sa-1"));
        for (String key : List.of("web", "api", "db")) {
            projectAccess.on(new ProjectCreatedEvent(ws, key, key.toUpperCase(), ProjectVisibility.PRIVATE,
                    PrincipalRef.user("alice")));
        }
        for (String key : List.of("web", "api")) {
            projectAccess.on(new ProjectRoleAssignedEvent(ws, key, PrincipalRef.serviceAccount("sa-1"),
                    ProjectRole.VIEWER, null));
        }

        CredentialStore.OperatorIntrospection listing = store.lookupWithAccessAsOperator(OPERATOR, secret, null);
        assertThat(listing.callerIsOperator()).isTrue();
        assertThat(listing.access()).isEqualTo(store.lookupWithAccess(secret));
        assertThat(listing.access().orElseThrow().projects().listed()).extracting(p -> p.key())
                .containsExactly("api", "web");
        assertThat(checked).as("the stored value came with the token").containsExactly("stored:" + OPERATOR);

        CredentialStore.OperatorIntrospection one = store.lookupWithAccessAsOperator(OPERATOR, secret, "web");
        assertThat(one.callerIsOperator()).isTrue();
        assertThat(one.access()).isEqualTo(store.lookupWithAccess(secret, "web"));
        assertThat(store.lookupWithAccessAsOperator(OPERATOR, secret, "db").access())
                .isEqualTo(store.lookupWithAccess(secret, "db"));
    }

    @Test
    void aTokenThatDoesNotWork_isInactiveForTheOperator_theMomentItIsRevoked() {
        String ws = "ws-" + UUID.randomUUID();
        credentials.on(new ServiceAccountCreatedEvent(ws, "sa-1", "deployer", null));
        String secret = issue(ws, "t-2", PrincipalRef.serviceAccount("sa-1"));
        assertThat(store.lookupWithAccessAsOperator(OPERATOR, secret, null).access()).isPresent();

        credentials.on(new TokenRevokedEvent(ws, "t-2", PrincipalRef.serviceAccount("sa-1"),
                TokenRevocationCause.REVOKED), AT);

        CredentialStore.OperatorIntrospection after = store.lookupWithAccessAsOperator(OPERATOR, secret, null);
        assertThat(after.callerIsOperator()).isTrue();
        assertThat(after.access()).isEmpty();
        assertThat(checked).as("the operator checked on every call, the stored value read with the token")
                .containsExactly("stored:" + OPERATOR, "stored:" + OPERATOR);
        assertThat(store.lookupWithAccessAsOperator(OPERATOR, TokenSecret.generateFor(
                dev.svcaccounts.events.PrincipalType.SERVICE_ACCOUNT), "web").access()).as("unknown").isEmpty();
    }

    @Test
    void anotherCaller_orARotatedCredential_isRefused_andLearnsNothingOfTheToken() {
        String ws = "ws-" + UUID.randomUUID();
        credentials.on(new ServiceAccountCreatedEvent(ws, "sa-1", "deployer", null));
        String secret = issue(ws, "t-3", PrincipalRef.serviceAccount("sa-1"));

        CredentialStore.OperatorIntrospection wrong =
                store.lookupWithAccessAsOperator(OPERATOR + "-not", secret, null);
        assertThat(wrong.callerIsOperator()).isFalse();
        assertThat(wrong.access()).isEmpty();

        storeOperator("stored:rotated-" + OPERATOR);
        CredentialStore.OperatorIntrospection rotated = store.lookupWithAccessAsOperator(OPERATOR, secret, null);
        assertThat(rotated.callerIsOperator()).as("the old credential, the next call after the rotation").isFalse();
        assertThat(rotated.access()).isEmpty();
        assertThat(store.lookupWithAccessAsOperator("rotated-" + OPERATOR, secret, "web").callerIsOperator())
                .isTrue();

        jdbc.update("DELETE FROM command_side.operator_credential");
        assertThat(store.lookupWithAccessAsOperator(OPERATOR, secret, null).callerIsOperator()).isFalse();
        assertThat(checked).endsWith((String) null);
        assertThat(store.lookupWithAccessAsOperator("short", secret, null).callerIsOperator())
                .as("not even the operator's shape").isFalse();
    }

    @Test
    void aTokenToIntrospectThatIsNoPrincipalsToken_isStillCheckedAgainstTheStoredCredential() {
        CredentialStore.OperatorIntrospection malformed =
                store.lookupWithAccessAsOperator(OPERATOR, "sa_not-a-token", null);
        assertThat(malformed.callerIsOperator()).isTrue();
        assertThat(malformed.access()).isEmpty();
        assertThat(store.lookupWithAccessAsOperator(OPERATOR + "-not", "sa_not-a-token", null).callerIsOperator())
                .isFalse();
    }

    @Test
    void aServiceAccountsPrefix_onAnotherPrincipalsToken_stillGetsThatPrincipalsListing() {
        // never so by construction (a token's prefix is its principal's type), written straight into the table here:
        // the service accounts' shorter statement is chosen by the prefix, and its answer checked against the row
        String ws = "ws-" + UUID.randomUUID();
        credentials.on(new dev.svcaccounts.events.UserAddedEvent(ws, "bob",
                dev.svcaccounts.events.WorkspaceRole.MEMBER));
        String userSecret = issue(ws, "t-5", PrincipalRef.user("bob"));
        projectAccess.on(new ProjectCreatedEvent(ws, "api", "API", ProjectVisibility.WORKSPACE,
                PrincipalRef.user("alice")));
        // a scope naming a project the user reaches by its visibility: only the users' branch lists it
        jdbc.update("UPDATE command_side.auth_token SET scope = ?::jsonb WHERE token_id = 't-5'",
                "{\"api\": \"VIEWER\"}");
        var expected = store.lookupWithAccess(userSecret).orElseThrow();
        assertThat(expected.projects().listed()).extracting(p -> p.key()).containsExactly("api");
        String prefixed = TokenSecret.generateFor(dev.svcaccounts.events.PrincipalType.SERVICE_ACCOUNT);
        jdbc.update("UPDATE command_side.auth_token SET secret_hash = ? WHERE token_id = 't-5'",
                TokenSecret.hash(prefixed));

        assertThat(store.lookupWithAccess(prefixed)).contains(expected);
        assertThat(store.lookupWithAccessAsOperator(OPERATOR, prefixed, null).access()).contains(expected);
    }

    private static void storeOperator(String stored) {
        jdbc.update("""
                INSERT INTO command_side.operator_credential (id, secret_hash, set_at) VALUES (1, ?, now())
                ON CONFLICT (id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash
                """, stored);
    }

    private static String issue(String ws, String tokenId, PrincipalRef owner) {
        String secret = TokenSecret.generateFor(owner.type());
        credentials.on(new TokenIssuedEvent(ws, tokenId, owner, TokenSecret.hash(secret), TokenSecret.hint(secret),
                null, null), AT);
        return secret;
    }
}
