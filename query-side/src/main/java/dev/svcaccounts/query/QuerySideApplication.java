package dev.svcaccounts.query;

import dev.svcaccounts.infra.SharedInfrastructure;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/** The read side: projections stream events from the event store into read models served over HTTP. */
@SpringBootApplication
@Import(SharedInfrastructure.class)
public class QuerySideApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * Reads {@code query-side.yml} rather than {@code application.yml}, and its migrations live in their own
     * folder, so both applications can also run in one JVM (the system tests do) without reading each other's.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(QuerySideApplication.class).properties("spring.config.name=query-side");
    }
}
