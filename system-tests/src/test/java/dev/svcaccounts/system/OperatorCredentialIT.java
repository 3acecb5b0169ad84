package dev.svcaccounts.system;

import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The platform operator's credential: generated and printed once at the first start when OPERATOR_TOKEN is unset,
 * stored only as a salted, slow hash (an unsalted one from before upgraded at its first use), taken from
 * OPERATOR_TOKEN when set, and refused when too short or too easy to guess.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorCredentialIT {

    private static final Pattern PRINTED = Pattern.compile("^\\s+(opr_[0-9A-Za-z]{49})\\s*$", Pattern.MULTILINE);

    @Test
    void withoutOperatorToken_aCredentialIsGeneratedPrintedOnceAndStoredAsAHash(CapturedOutput output) {
        Database database = TestDatabases.fresh("operator-generated");
        String printed;
        try (ConfigurableApplicationContext first = start(database, "")) {
            Matcher matcher = PRINTED.matcher(output.getOut());
            assertThat(matcher.find()).as("a generated credential on standard output").isTrue();
            printed = matcher.group(1);
            assertThat(matcher.find()).as("printed once").isFalse();
            assertThat(createWorkspace(first, printed, "generated")).isEqualTo(201);
            assertThat(createWorkspace(first, withLastCharacterChanged(printed), "refused")).isEqualTo(401);
        }
        String storedHash = stored(database);
        assertSaltedHashOf(printed, storedHash);

        int printedSoFar = output.getOut().length();
        try (ConfigurableApplicationContext second = start(database, "")) {
            assertThat(PRINTED.matcher(output.getOut().substring(printedSoFar)).find())
                    .as("not printed again on a later start").isFalse();
            assertThat(createWorkspace(second, printed, "still-valid")).isEqualTo(201);
        }
    }

    @Test
    void operatorToken_replacesTheStoredCredential() {
        Database database = TestDatabases.fresh("operator-configured");
        String chosen = "a-long-operator-credential-chosen-by-the-platform-0123456789";
        try (ConfigurableApplicationContext context = start(database, chosen)) {
            assertThat(createWorkspace(context, chosen, "configured")).isEqualTo(201);
        }
        assertSaltedHashOf(chosen, stored(database));
        String replacement = "another-long-operator-credential-after-rotation-0123456789";
        try (ConfigurableApplicationContext context = start(database, replacement)) {
            assertThat(createWorkspace(context, replacement, "rotated")).isEqualTo(201);
            assertThat(createWorkspace(context, chosen, "old-one")).isEqualTo(401);
        }
    }

    @Test
    void twoCommandNodesStartingTogetherWithoutOperatorToken_printOneCredential_thatWorksOnBoth(CapturedOutput output)
            throws Exception {
        Database database = TestDatabases.fresh("operator-two-nodes");
        start(database, "").close(); // the schema first, so that both nodes race for the credential only
        database.jdbc().update("DELETE FROM command_side.operator_credential");
        int printedBefore = output.getOut().length();
        CompletableFuture<ConfigurableApplicationContext> one =
                CompletableFuture.supplyAsync(() -> start(database, ""));
        CompletableFuture<ConfigurableApplicationContext> two =
                CompletableFuture.supplyAsync(() -> start(database, ""));
        try (ConfigurableApplicationContext a = one.get(120, TimeUnit.SECONDS);
             ConfigurableApplicationContext b = two.get(120, TimeUnit.SECONDS)) {
            Matcher matcher = PRINTED.matcher(output.getOut().substring(printedBefore));
            assertThat(matcher.find()).as("a generated credential on standard output").isTrue();
            String printed = matcher.group(1);
            assertThat(matcher.find()).as("printed by one node only").isFalse();
            assertThat(createWorkspace(a, printed, "node-a")).isEqualTo(201);
            assertThat(createWorkspace(b, printed, "node-b")).isEqualTo(201);
        }
    }

    @Test
    void tooShortOperatorToken_stopsTheStartWithAClearMessage() {
        Database database = TestDatabases.fresh("operator-weak");
        assertThatThrownBy(() -> start(database, "secret123").close())
                .hasStackTraceContaining("OPERATOR_TOKEN must be at least 32 characters");
    }

    @Test
    void longButGuessableOperatorTokens_stopTheStart() {
        Database database = TestDatabases.fresh("operator-guessable");
        for (String guessable : List.of("passwordpasswordpasswordpassword", "operator-operator-operator-operator",
                "abcdefghijklmnopqrstuvwxyz0123456789", "000000000000000000000000000000000000000000")) {
            assertThatThrownBy(() -> start(database, guessable).close()).as(guessable)
                    .hasStackTraceContaining("OPERATOR_TOKEN is too easy to guess");
        }
    }

    /**
     * A credential stored by an earlier version as an unsalted SHA-256 keeps working, on both sides, and is stored
     * salted from its first use on.
     */
    @Test
    void anUnsaltedHashStoredBefore_keepsWorking_andIsReplacedByASaltedOne() {
        Database database = TestDatabases.fresh("operator-legacy");
        start(database, "").close();
        String earlier = TokenSecret.generate(TokenSecret.OPERATOR_PREFIX);
        database.jdbc().update("UPDATE command_side.operator_credential SET secret_hash = ?",
                TokenSecret.hash(earlier));

        try (ConfigurableApplicationContext context = start(database, "")) {
            assertThat(createWorkspace(context, earlier, "legacy")).isEqualTo(201);
            assertSaltedHashOf(earlier, stored(database));
            assertThat(createWorkspace(context, earlier, "after-upgrade")).isEqualTo(201);
            assertThat(createWorkspace(context, withLastCharacterChanged(earlier), "refused")).isEqualTo(401);
        }
    }

    /** Both sides remember a credential that matched (the slow hash runs once), but never past a rotation. */
    @Test
    void aRotationOnOneNode_isRefusedOnTheNextRequestToAnother() {
        Database database = TestDatabases.fresh("operator-rotation");
        String first = "operator-credential-" + TokenSecret.generate("first_");
        String second = "operator-credential-" + TokenSecret.generate("second_");
        try (ConfigurableApplicationContext running = start(database, first)) {
            assertThat(createWorkspace(running, first, "before")).isEqualTo(201);
            start(database, second).close();
            assertThat(createWorkspace(running, first, "after")).as("the old credential").isEqualTo(401);
            assertThat(createWorkspace(running, second, "rotated")).isEqualTo(201);
        }
    }

    private static String stored(Database database) {
        return database.jdbc().queryForObject("SELECT secret_hash FROM command_side.operator_credential", String.class);
    }

    /** PBKDF2 with a salt (pbkdf2-sha256$iterations$salt$hash), not the secret's plain SHA-256 as before. */
    private static void assertSaltedHashOf(String secret, String stored) {
        assertThat(stored).isNotEqualTo(TokenSecret.hash(secret)).doesNotContain(secret)
                .matches("pbkdf2-sha256\\$600000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    private static ConfigurableApplicationContext start(Database database, String operatorToken) {
        return RunningSystem.startCommandSide(database, "--svcaccounts.operator-token=" + operatorToken);
    }

    private static int createWorkspace(ConfigurableApplicationContext context, String operatorToken, String id) {
        String url = "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
        return new Api(url, null, operatorToken).command("POST", "/v1/workspaces").token(operatorToken)
                .json(java.util.Map.of("id", id, "name", id, "admin", java.util.Map.of("username", "alice")))
                .send().status();
    }

    /** The same credential but for its last character, which is always changed (never replaced by itself). */
    private static String withLastCharacterChanged(String credential) {
        char last = credential.charAt(credential.length() - 1);
        return credential.substring(0, credential.length() - 1) + (last == 'x' ? 'y' : 'x');
    }
}
