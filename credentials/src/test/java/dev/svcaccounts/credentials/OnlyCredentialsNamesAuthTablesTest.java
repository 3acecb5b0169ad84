package dev.svcaccounts.credentials;

import dev.svcaccounts.credentials.testing.RepositoryRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * This module owns the {@code command_side.auth_*} tables: no other main code of the repository names them (the Java
 * under every other module's {@code src/main/java}). Exempt, since they are no lookup another module could grow:
 * test code, the benchmark's SQL seeds ({@code bench/sql}), the Flyway migrations that create the tables (command-side
 * resources) and the query side's start-up setting that waits for them ({@code required-tables}).
 */
class OnlyCredentialsNamesAuthTablesTest {

    private static final Pattern AUTH_TABLE =
            Pattern.compile("command_side\\s*\\.\\s*\"?auth_", Pattern.CASE_INSENSITIVE);
    private static final String THIS_MODULE = "credentials";

    @Test
    void noMainCodeOutsideThisModule_namesTheAuthTables() {
        List<Path> scanned = mainSources(module -> !module.equals(THIS_MODULE));
        assertThat(scanned).as("Java files scanned").hasSizeGreaterThan(100)
                .anyMatch(file -> file.toString().contains("command-side"))
                .anyMatch(file -> file.toString().contains("query-side"))
                .anyMatch(file -> file.toString().contains("shared-infra"));

        assertThat(scanned.stream().filter(OnlyCredentialsNamesAuthTablesTest::namesAuthTables).toList())
                .as("main code outside '" + THIS_MODULE + "' whose SQL names command_side.auth_*: use this module's "
                        + "lookups (CredentialStore, ProjectAccessStore, Principals, FormerTokens, ...) instead")
                .isEmpty();
    }

    @Test
    void thisModule_isWhereTheyAreNamed() {
        assertThat(mainSources(THIS_MODULE::equals)).as("the pattern finds them where they are")
                .anyMatch(OnlyCredentialsNamesAuthTablesTest::namesAuthTables);
    }

    private static List<Path> mainSources(java.util.function.Predicate<String> modules) {
        Path root = RepositoryRoot.path();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            for (Path module : children.filter(Files::isDirectory).toList()) {
                Path sources = module.resolve("src/main/java");
                if (modules.test(module.getFileName().toString()) && Files.isDirectory(sources)) {
                    try (Stream<Path> walk = Files.walk(sources)) {
                        walk.filter(file -> file.toString().endsWith(".java")).forEach(files::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static boolean namesAuthTables(Path file) {
        try {
            return AUTH_TABLE.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
