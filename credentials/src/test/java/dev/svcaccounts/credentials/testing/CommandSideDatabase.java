package dev.svcaccounts.credentials.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import java.io.IOException;

/**
 * An embedded PostgreSQL with the command side's migrations applied: they create the credential tables. They live in
 * command-side, which depends on this module, so they are read from its source folder, unchanged.
 */
public final class CommandSideDatabase {

    private static final String MIGRATIONS = "command-side/src/main/resources/db/migration/command_side";

    private CommandSideDatabase() {
    }

    /** Started and migrated; the caller closes it. */
    public static EmbeddedPostgres start() throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase())
                .schemas("command_side").defaultSchema("command_side")
                .locations("filesystem:" + RepositoryRoot.path().resolve(MIGRATIONS)).load().migrate();
        return postgres;
    }
}
