package dev.svcaccounts.credentials;

import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.events.time.InstantText;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a bearer secret to a principal from the command side's credential tables. Those tables are written
 * in the same transaction as the events that change them, so a token revoked by a command that has returned
 * is refused here on the very next request, on either side.
 */
@Component
public class CredentialStore {

    /**
     * The token's columns; its two instants as microseconds since the epoch (exact: {@code extract} gives a
     * {@code numeric}, and PostgreSQL keeps microseconds), read with {@code getLong}: pgjdbc builds a
     * {@code TimestampUtils} with two {@code GregorianCalendar}s for each result set a timestamp is read from.
     */
    private static final String TOKEN_COLUMNS = """
            t.token_id, t.workspace_id, t.principal_type, t.principal_id,
            (extract(epoch FROM t.issued_at) * 1000000)::int8 AS issued_at_micros,
            (extract(epoch FROM t.expires_at) * 1000000)::int8 AS expires_at_micros, t.scope,
            p.display_name, p.workspace_role""";
    /**
     * A token joined to its principal, as {@code t} and {@code p} (the principal's display name, workspace role and
     * whether it is active); also read by {@link FormerTokens}. The principal is read once, for the token, up to its
     * row: as a plain join, PostgreSQL hashes the whole principal table when it is small and compact (a few hundred
     * rows in a few pages, freshly vacuumed: every principal read on every request, a third of introspection's
     * statement then); the {@code LIMIT} (a primary key finds at most one row anyway) keeps the sub-query from being
     * merged into a join. Where the join already probed the primary key (larger or less compact tables), the plan is
     * the same probe.
     */
    static final String TOKEN_AND_PRINCIPAL = """
              FROM command_side.auth_token t
             CROSS JOIN LATERAL (
                   SELECT p.display_name, p.workspace_role, p.active
                     FROM command_side.auth_principal p
                    WHERE p.workspace_id = t.workspace_id
                      AND p.principal_type = t.principal_type
                      AND p.principal_id = t.principal_id
                    LIMIT 1) p
            """;
    /** A working token: not revoked, not expired, its principal active. */
    private static final String WORKING = """
             WHERE t.revoked_at IS NULL
               AND (t.expires_at IS NULL OR t.expires_at > ?::timestamptz)
               AND p.active
            """;
    /** Which of {@code r}, the principal's assignments, its token {@code t} may use: the condition of each listing. */
    private static final String USABLE_ASSIGNMENTS = """
               WHERE (t.scope IS NULL
                      OR t.principal_type = 'SERVICE_ACCOUNT' AND jsonb_exists(t.scope, r.project_key))
                 AND r.workspace_id = t.workspace_id
                 AND r.principal_type = t.principal_type AND r.principal_id = t.principal_id
            """;
    /**
     * The principal's explicit assignments, with their projects, that its token may use (all of them, or those its
     * scope names): the listing of {@link #GRANTS}, after its select list.
     */
    private static final String EXPLICIT_GRANTS = """
                FROM command_side.auth_project_role r
                JOIN command_side.auth_project pr
                  ON pr.workspace_id = r.workspace_id AND pr.project_key = r.project_key
            """ + USABLE_ASSIGNMENTS;
    private static final String ACTIVE_TOKEN = "SELECT " + TOKEN_COLUMNS + TOKEN_AND_PRINCIPAL + WORKING;
    private static final String BY_HASH = ACTIVE_TOKEN + " AND t.secret_hash = ?";
    /**
     * The token found by hash, once per project it lists (the first {@code ?} by key, with {@code total} counting them
     * all), or once with null project columns when there is none: for a token with its owner's full access, each
     * project where its principal was assigned a role; for a scoped token, each project its scope names (whatever
     * the source of the principal's access there, capped in Java), which for a service account, whose only access is
     * explicit, is each of its assignments that the scope names: the same index look-up as without a scope. One
     * statement: one snapshot, one round trip, bounded by the principal's assignments or the scope, not by its
     * workspace's projects.
     */
    private static final String GRANTS = "SELECT " + TOKEN_COLUMNS + """
            , g.project_key, g.project_name, g.visibility, g.project_role, g.total
            """ + TOKEN_AND_PRINCIPAL + """
              LEFT JOIN LATERAL (
                   SELECT s.*, count(*) OVER () AS total FROM (
                          SELECT pr.project_key, pr.name AS project_name, pr.visibility, r.role AS project_role
            """ + EXPLICIT_GRANTS + """
                           UNION ALL
                          SELECT pr.project_key, pr.name, pr.visibility, r.role
                            FROM jsonb_object_keys(t.scope) k (project_key)
                            JOIN command_side.auth_project pr
                              ON pr.workspace_id = t.workspace_id AND pr.project_key = k.project_key
                            LEFT JOIN command_side.auth_project_role r
                              ON r.workspace_id = pr.workspace_id AND r.project_key = pr.project_key
                             AND r.principal_type = t.principal_type AND r.principal_id = t.principal_id
                           WHERE t.principal_type <> 'SERVICE_ACCOUNT') s
                    ORDER BY s.project_key COLLATE "C"
                    LIMIT ?) g ON TRUE
            """ + WORKING + """
               AND t.secret_hash = ?
            """;
    /**
     * {@link #GRANTS} for a service account's token: its explicit assignments only, without the users' branch (a
     * scope's keys joined to every project), whose mere set-up cost PostgreSQL about a fifth of the statement. Same
     * rows as {@link #GRANTS} for a service account's token; chosen by the secret's prefix, and the row's principal
     * type is checked all the same ({@link #lookupWithAccess(String)}). The assignments are counted apart, and only
     * the first {@code LIMIT} in key order are joined to their projects (every assignment has its project: a foreign
     * key): for a service account with 300 assignments, 100 project look-ups instead of 300 and a window over all of
     * them, about half of PostgreSQL's time for the statement.
     */
    private static final String SERVICE_ACCOUNT_GRANTS = "SELECT " + TOKEN_COLUMNS + """
            , g.project_key, g.project_name, g.visibility, g.project_role, c.total
            """ + TOKEN_AND_PRINCIPAL + """
             CROSS JOIN LATERAL (
                   SELECT count(*) AS total
                     FROM command_side.auth_project_role r
            """ + USABLE_ASSIGNMENTS + """
                   ) c
              LEFT JOIN LATERAL (
                   SELECT pr.project_key, pr.name AS project_name, pr.visibility, r.role AS project_role
                     FROM (SELECT r.workspace_id, r.project_key, r.role
                             FROM command_side.auth_project_role r
            """ + USABLE_ASSIGNMENTS + """
                            ORDER BY r.project_key COLLATE "C"
                            LIMIT ?) r
                     JOIN command_side.auth_project pr
                       ON pr.workspace_id = r.workspace_id AND pr.project_key = r.project_key) g ON TRUE
            """ + WORKING + """
               AND t.secret_hash = ?
            """;
    /*
     * The statements below give the listing's rows in no particular order: Listing puts them in key order (what an
     * outer ORDER BY gave, a sort node that cost PostgreSQL about a tenth of the statement for one row). Which rows
     * are listed is still decided by the ORDER BY ... LIMIT inside the statements.
     */
    private static final String BY_HASH_WITH_SERVICE_ACCOUNT_GRANTS = SERVICE_ACCOUNT_GRANTS;
    private static final String BY_HASH_WITH_GRANTS = GRANTS;
    /** The token found by hash with its principal's access to one project (null project columns if no such one). */
    private static final String BY_HASH_WITH_PROJECT = "SELECT " + TOKEN_COLUMNS + """
            , pr.project_key, pr.name AS project_name, pr.visibility, r.role AS project_role, 1 AS total
            """ + TOKEN_AND_PRINCIPAL + """
              LEFT JOIN command_side.auth_project pr
                ON pr.workspace_id = t.workspace_id AND pr.project_key = ?
              LEFT JOIN command_side.auth_project_role r
                ON r.workspace_id = pr.workspace_id AND r.project_key = pr.project_key
               AND r.principal_type = t.principal_type AND r.principal_id = t.principal_id
            """ + WORKING + """
               AND t.secret_hash = ?
            """;
    private static final String BY_ID = ACTIVE_TOKEN + " AND t.token_id = ?";
    /**
     * The stored operator credential (null when none) beside the rows of {@code query}, in one statement: one row
     * with null token columns when the token does not work.
     */
    private static String withOperator(String query) {
        return """
                SELECT o.operator_hash, x.*
                  FROM (SELECT (SELECT secret_hash FROM command_side.operator_credential LIMIT 1) AS operator_hash) o
                  LEFT JOIN LATERAL (
                """ + query + ") x ON TRUE";
    }

    private static final String GRANTS_WITH_OPERATOR = withOperator(GRANTS);
    private static final String SERVICE_ACCOUNT_GRANTS_WITH_OPERATOR =
            withOperator(SERVICE_ACCOUNT_GRANTS);
    private static final String PROJECT_WITH_OPERATOR = withOperator(BY_HASH_WITH_PROJECT);

    private static final int MAX_SECRET_LENGTH = 256;
    /** The operator credential is never shorter, nor has it spaces (OPERATOR_TOKEN is refused otherwise). */
    public static final int MIN_OPERATOR_LENGTH = 32;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final OperatorCheck operatorCheck;

    public CredentialStore(JdbcTemplate jdbc, Clock clock, OperatorCheck operatorCheck) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.operatorCheck = operatorCheck;
    }

    public Optional<AuthenticatedPrincipal> authenticate(String secret) {
        return lookup(secret).map(ActiveToken::principal);
    }

    /** The token with this secret if it works right now: known, not revoked, not expired, its principal active. */
    public Optional<ActiveToken> lookup(String secret) {
        return switch (kind(secret)) {
            case REFUSED -> Optional.empty();
            case OPERATOR -> operator(secret);
            case PRINCIPAL -> find(BY_HASH, TokenSecret.hash(secret));
        };
    }

    /**
     * Whether the secret may be the operator credential, told offline (not a principal's token, long enough, no
     * spaces): whether it is is for {@link OperatorCheck}.
     */
    public static boolean isOperatorSecret(String secret) {
        return kind(secret) == Kind.OPERATOR;
    }

    /** What a secret can be, told without a database round trip. */
    private enum Kind { REFUSED, OPERATOR, PRINCIPAL }

    /**
     * Whether the secret has the shape of a service account's or a user's token, told offline by prefix, length and
     * checksum (the operator's credential and an introspection client's secret have not).
     */
    public static boolean isPrincipalSecret(String secret) {
        return kind(secret) == Kind.PRINCIPAL;
    }

    private static Kind kind(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH) {
            return Kind.REFUSED;
        }
        if (!secret.startsWith(TokenSecret.SERVICE_ACCOUNT_PREFIX) && !secret.startsWith(TokenSecret.USER_PREFIX)) {
            // the operator credential may be any long random string the platform chose (OPERATOR_TOKEN); what cannot
            // be it is refused without a database round trip or a slow hash
            return secret.length() < MIN_OPERATOR_LENGTH || secret.chars().anyMatch(Character::isWhitespace)
                    ? Kind.REFUSED : Kind.OPERATOR;
        }
        // a typo or a truncated token is refused without a database round trip
        return TokenSecret.isWellFormed(secret) ? Kind.PRINCIPAL : Kind.REFUSED;
    }

    /** The operator, if this is its credential (see {@link OperatorCheck}). */
    private Optional<ActiveToken> operator(String secret) {
        return operatorCheck.isOperator(secret)
                ? Optional.of(new ActiveToken(AuthenticatedPrincipal.operator(), null, null)) : Optional.empty();
    }

    /** A working token and the projects an answer about it lists, as they were at one instant. */
    public record TokenAccess(ActiveToken token, ProjectListing projects) {
    }

    /**
     * As {@link #lookup}, with the projects where its principal was assigned a role (what
     * {@link ProjectAccessStore#explicitGrants} gives), read in the same statement: for introspection, one round
     * trip and one snapshot instead of a transaction around two queries.
     */
    public Optional<TokenAccess> lookupWithAccess(String secret) {
        if (secret != null && secret.startsWith(TokenSecret.SERVICE_ACCOUNT_PREFIX)) {
            Optional<TokenAccess> found =
                    lookupWithAccess(secret, BY_HASH_WITH_SERVICE_ACCOUNT_GRANTS, ProjectListing.MAX_LISTED);
            if (found.isEmpty() || isServiceAccount(found.get())) {
                return found;
            }
        }
        return lookupWithAccess(secret, BY_HASH_WITH_GRANTS, ProjectListing.MAX_LISTED);
    }

    /** Whether the token is a service account's: what {@link #SERVICE_ACCOUNT_GRANTS} lists completely. */
    private static boolean isServiceAccount(TokenAccess access) {
        return access.token().principal().type() == PrincipalType.SERVICE_ACCOUNT;
    }

    /**
     * As {@link #lookup}, with its principal's access to one project (what
     * {@link ProjectAccessStore#accessibleProject} gives), read in the same statement. A project that does not
     * exist and one the principal has no access to give the same empty listing.
     */
    public Optional<TokenAccess> lookupWithAccess(String secret, String projectKey) {
        return lookupWithAccess(secret, BY_HASH_WITH_PROJECT, projectKey);
    }

    private Optional<TokenAccess> lookupWithAccess(String secret, String query, Object projectArgument) {
        Kind kind = kind(secret);
        if (kind != Kind.PRINCIPAL) {
            return kind == Kind.OPERATOR
                    ? operator(secret).map(operator -> new TokenAccess(operator, ProjectListing.EMPTY))
                    : Optional.empty();
        }
        Listing listing = new Listing(false);
        jdbc.query(query, listing, projectArgument, now(), TokenSecret.hash(secret));
        return listing.access();
    }

    /** What introspection by a caller with an operator-shaped secret found: whether it is the operator, the token. */
    public record OperatorIntrospection(boolean callerIsOperator, Optional<TokenAccess> access) {
    }

    /**
     * Introspection by a caller who presents {@code callerSecret} as the operator credential: {@link #lookupWithAccess}
     * for {@code secret} (and {@code projectKey}, null for the listing) and the stored operator credential, read in one
     * statement (one round trip instead of two; the stored value is read on every request all the same, so a rotation
     * holds on the next one). The token is only returned when the caller is the operator.
     *
     * @throws dev.svcaccounts.refusals.DomainRuleException 503 when too many operator credentials are being
     *                                                      checked at once
     */
    public OperatorIntrospection lookupWithAccessAsOperator(String callerSecret, String secret, String projectKey) {
        if (kind(callerSecret) != Kind.OPERATOR) {
            return new OperatorIntrospection(false, Optional.empty());
        }
        if (kind(secret) != Kind.PRINCIPAL) { // nothing to read with the operator's credential: as before
            if (!operatorCheck.isOperator(callerSecret)) {
                return new OperatorIntrospection(false, Optional.empty());
            }
            return new OperatorIntrospection(true,
                    projectKey == null ? lookupWithAccess(secret) : lookupWithAccess(secret, projectKey));
        }
        Listing listing = new Listing(true);
        if (projectKey == null) {
            boolean serviceAccount = secret.startsWith(TokenSecret.SERVICE_ACCOUNT_PREFIX);
            jdbc.query(serviceAccount ? SERVICE_ACCOUNT_GRANTS_WITH_OPERATOR : GRANTS_WITH_OPERATOR, listing,
                    ProjectListing.MAX_LISTED, now(), TokenSecret.hash(secret));
            if (serviceAccount && listing.access().filter(found -> !isServiceAccount(found)).isPresent()) {
                listing = new Listing(true); // not a service account's after all: the statement for every principal
                jdbc.query(GRANTS_WITH_OPERATOR, listing, ProjectListing.MAX_LISTED, now(),
                        TokenSecret.hash(secret));
            }
        } else {
            jdbc.query(PROJECT_WITH_OPERATOR, listing, projectKey, now(),
                    TokenSecret.hash(secret));
        }
        if (!operatorCheck.isOperator(callerSecret, listing.operatorHash)) {
            return new OperatorIntrospection(false, Optional.empty());
        }
        return new OperatorIntrospection(true, listing.access());
    }

    /** The rows of {@link #BY_HASH_WITH_GRANTS} or {@link #BY_HASH_WITH_PROJECT}: the token and its listing. */
    private static final class Listing implements RowCallbackHandler {

        private final boolean withOperator;
        private String operatorHash;
        private ActiveToken token;
        private final List<ProjectAccessStore.ProjectAccessView> listed = new ArrayList<>();
        private int total;

        Listing(boolean withOperator) {
            this.withOperator = withOperator;
        }

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            if (withOperator) {
                operatorHash = rs.getString("operator_hash");
                if (rs.getString("token_id") == null) {
                    return; // no working token: the one row holds the operator credential alone
                }
            }
            if (token == null) {
                token = activeToken(rs);
            }
            String key = rs.getString("project_key");
            if (key != null) {
                ProjectAccessStore.ProjectAccessView project = ProjectAccessStore.view(token.principal(),
                        key, rs.getString("project_name"), rs.getString("visibility"), rs.getString("project_role"));
                if (project.access().isPresent()) {
                    listed.add(project);
                    total = Math.max(rs.getInt("total"), listed.size());
                }
            }
        }

        Optional<TokenAccess> access() {
            listed.sort((a, b) -> byteOrder(a.key(), b.key()));
            // a scope names at most as many projects as a listing holds: its listing is complete, of those it reaches
            return Optional.ofNullable(token).map(found -> new TokenAccess(found, new ProjectListing(listed,
                    found.principal().isScoped() ? listed.size() : total)));
        }
    }

    /**
     * The order of {@code COLLATE "C"} on UTF-8 text: by code point ({@link String#compareTo} compares UTF-16 units,
     * which puts characters past U+FFFF before U+E000-U+FFFF).
     */
    static int byteOrder(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** The token with this id, as it is now: for re-reading a request's principal inside a transaction. */
    public Optional<ActiveToken> lookupById(String tokenId) {
        return find(BY_ID, tokenId);
    }

    private Optional<ActiveToken> find(String query, String value) {
        List<ActiveToken> found = jdbc.query(query, (rs, i) -> activeToken(rs), now(), value);
        return found.stream().findFirst();
    }

    private static ActiveToken activeToken(ResultSet rs) throws SQLException {
        return new ActiveToken(principal(rs), instant(rs, "issued_at_micros"), instant(rs, "expires_at_micros"));
    }

    /** The token's principal from a row of {@link #TOKEN_AND_PRINCIPAL}; also read by {@link FormerTokens}. */
    static AuthenticatedPrincipal principal(ResultSet rs) throws SQLException {
        String role = rs.getString("workspace_role");
        return new AuthenticatedPrincipal(
                PrincipalType.valueOf(rs.getString("principal_type")),
                rs.getString("principal_id"),
                rs.getString("display_name"),
                rs.getString("workspace_id"),
                role == null ? null : WorkspaceRole.valueOf(role),
                rs.getString("token_id"),
                ScopeColumn.fromJson(rs.getString("scope")));
    }

    /** The instant in a column of microseconds since the epoch; null for null. */
    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long micros = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /**
     * The clock's instant as the statements' {@code ?::timestamptz} parameter: ISO-8601 text in UTC, which PostgreSQL
     * reads exactly (to the microsecond, as it stores it). Not a {@code Timestamp} nor an {@code OffsetDateTime}:
     * pgjdbc builds a {@code TimestampUtils} with its {@code GregorianCalendar}s for each statement that binds one,
     * and formats it through them, about 4% of an introspection's CPU ({@link InstantText}: the same text as
     * {@link Instant#toString()}, without {@code DateTimeFormatter}).
     */
    private String now() {
        return InstantText.of(clock.instant());
    }
}
