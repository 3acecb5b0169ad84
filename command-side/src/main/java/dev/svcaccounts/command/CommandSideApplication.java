package dev.svcaccounts.command;

import dev.svcaccounts.infra.SharedInfrastructure;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The write side: commands over HTTP, the Workspace aggregate, the event store and the credential tables. */
@SpringBootApplication
@Import(SharedInfrastructure.class)
public class CommandSideApplication {

    public static void main(String[] args) {
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
