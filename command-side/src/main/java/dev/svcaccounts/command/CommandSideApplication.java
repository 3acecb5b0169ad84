package dev.svcaccounts.command;

import dev.svcaccounts.credentials.projection.CredentialWrites;
import dev.svcaccounts.infra.SharedInfrastructure;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The write side: commands over HTTP, the Workspace aggregate, the event store and the credential tables (their
 * projections run here only, in the command's transaction: {@link CredentialWrites}).
 */
@SpringBootApplication
@Import({SharedInfrastructure.class, CredentialWrites.class})
public class CommandSideApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * Reads {@code command-side.yml} rather than {@code application.yml}, and its migrations live in their own
     * folder, so both applications can also run in one JVM (the system tests do) without reading each other's.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(CommandSideApplication.class).properties("spring.config.name=command-side");
    }
}
