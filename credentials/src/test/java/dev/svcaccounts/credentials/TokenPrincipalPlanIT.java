package dev.svcaccounts.credentials;

import dev.svcaccounts.credentials.testing.CommandSideDatabase;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenSecret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every statement that finds a token by its secret (authentication, introspection with or without the operator,
 * the refused tokens' audit) reads the token's principal once, for that token, up to its row: not by hashing the
 * whole principal table, which PostgreSQL chose for a plain join while the table holds a few hundred principals or
 * fewer (as here), and which cost reading every principal on every request. The plans are PostgreSQL's generic
 * plans, the ones a server-prepared statement runs once pgjdbc and PostgreSQL settle on them.
 */
class TokenPrincipalPlanIT {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(AT.plusSeconds(60), ZoneOffset.UTC);
    private static final String OPERATOR = "operator-credential-0123456789-abcdefghijklmnop";
    private static final int PRINCIPALS = 150;
    /**
     * The principal table read under a {@code Limit}: for the one token, up to its principal's row (by its key, or
     * while the table is a few pages, by a scan that stops at that row).
     */
    private static final Pattern PRINCIPAL_READ_ONCE =
            Pattern.compile("Limit [^\\n]*\\n\\s*->\\s*(Seq Scan|Index Scan using \\w+|Index Only Scan using \\w+)"
                    + " on auth_principal ");

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    /** The statements the store prepared. */
    private static final List<String> statements = new CopyOnWriteArrayList<>();
    private static CredentialStore store;
    private static FormerTokens formerTokens;
    private static String robotSecret;
    private static String userSecret;
    private static String revokedSecret;

    private static final OperatorCheck CHECK = new OperatorCheck() {
        @Override
        public boolean isOperator(String secret) {
            return OPERATOR.equals(secret);
        }

        @Override
        public boolean isOperator(String secret, String stored) {
            return OPERATOR.equals(secret) && "stored".equals(stored);
        }
    };

    @BeforeAll
    static void database() throws IOException {
        postgres = CommandSideDatabase.start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        JdbcTemplate recorded = new JdbcTemplate(new DelegatingDataSource(postgres.getPostgresDatabase()) {
            @Override
            public Connection getConnection() throws SQLException {
                return recording(super.getConnection());
            }
        });
        store = new CredentialStore(recorded, CLOCK, CHECK);
        formerTokens = new FormerTokens(recorded, CLOCK);
        jdbc.update("INSERT INTO command_side.operator_credential (id, secret_hash, set_at)"
                + " VALUES (1, 'stored', now())");
        jdbc.update("INSERT INTO command_side.auth_project (workspace_id, project_key, name, visibility)"
                + " VALUES ('acme', 'ml', 'ML', 'PRIVATE')");
        for (int i = 0; i < PRINCIPALS; i++) {
            PrincipalType type = i % 2 == 0 ? PrincipalType.SERVICE_ACCOUNT : PrincipalType.USER;
            String id = "p" + i;
            jdbc.update("INSERT INTO command_side.auth_principal (workspace_id, principal_type, principal_id,"
                    + " display_name, workspace_role, active) VALUES ('acme', ?, ?, ?, ?, TRUE)", type.name(), id,
                    "name of " + id, type == PrincipalType.USER ? "MEMBER" : null);
            jdbc.update("INSERT INTO command_side.auth_project_role (workspace_id, project_key, principal_type,"
                    + " principal_id, role) VALUES ('acme', 'ml', ?, ?, 'VIEWER')", type.name(), id);
            String secret = TokenSecret.generateFor(type);
            token("t" + i, secret, type, id, null);
            if (i == 10) {
                robotSecret = secret;
            } else if (i == 11) {
                userSecret = secret;
            }
        }
        revokedSecret = TokenSecret.generateFor(PrincipalType.SERVICE_ACCOUNT);
        token("revoked", revokedSecret, PrincipalType.SERVICE_ACCOUNT, "p12", AT);
        jdbc.execute("ANALYZE");
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void everyLookupByTheSecret_readsTheTokensPrincipalByItsKey() {
        statements.clear();

        assertThat(store.lookup(robotSecret).orElseThrow().principal().name()).isEqualTo("name of p10");
        assertThat(store.lookupWithAccess(robotSecret).orElseThrow().projects().listed()).hasSize(1);
        assertThat(store.lookupWithAccess(userSecret).orElseThrow().token().principal().name())
                .isEqualTo("name of p11");
        assertThat(store.lookupWithAccess(robotSecret, "ml").orElseThrow().projects().listed()).hasSize(1);
        assertThat(store.lookupWithAccessAsOperator(OPERATOR, robotSecret, null).access().orElseThrow()
                .token().principal().id()).isEqualTo("p10");
        assertThat(store.lookupWithAccessAsOperator(OPERATOR, userSecret, null).access()).isPresent();
        assertThat(store.lookupWithAccessAsOperator(OPERATOR, robotSecret, "ml").access()).isPresent();
        assertThat(formerTokens.refused(revokedSecret).orElseThrow().owner().id()).isEqualTo("p12");
        assertThat(store.lookup(revokedSecret)).isEmpty();

        assertThat(statements).hasSizeGreaterThanOrEqualTo(7);
        // the simple query protocol: the extended one would take the $n of the statement as its own parameters
        JdbcTemplate simple = new JdbcTemplate(postgres.getDatabase("postgres", "postgres",
                Map.of("preferQueryMode", "simple")));
        for (String statement : statements) {
            String plan = String.join("\n", simple.queryForList("EXPLAIN (GENERIC_PLAN) " + numbered(statement),
                    String.class));
            assertThat(plan).as(statement).containsPattern(PRINCIPAL_READ_ONCE);
        }
    }

    /** The statement with PostgreSQL's numbered parameters instead of JDBC's ({@code ?} is no operator in them). */
    private static String numbered(String sql) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') {
                out.append('$').append(++n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void token(String id, String secret, PrincipalType type, String principal, Instant revokedAt) {
        jdbc.update("INSERT INTO command_side.auth_token (token_id, secret_hash, workspace_id, principal_type,"
                + " principal_id, issued_at, revoked_at, revocation_cause) VALUES (?, ?, 'acme', ?, ?, ?::timestamptz,"
                + " ?::timestamptz, ?)", id, TokenSecret.hash(secret), type.name(), principal, AT.toString(),
                revokedAt == null ? null : revokedAt.toString(), revokedAt == null ? null : "REVOKED");
    }

    private static Connection recording(Connection target) {
        return (Connection) Proxy.newProxyInstance(TokenPrincipalPlanIT.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                    if (method.getName().startsWith("prepare")) {
                        statements.add((String) arguments[0]);
                    }
                    try {
                        return method.invoke(target, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
