package dev.svcaccounts.infra;

import dev.svcaccounts.credentials.CredentialReads;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Imported by both applications: event store, serializer, authentication (and the lookups of the credential tables
 * it calls), request context and errors.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan
@Import(CredentialReads.class)
public class SharedInfrastructure {

    static {
        // No network here but the database: Axon's update check would only log an UnknownHostException,
        // and the AxonIQ Console banner is noise. Set before Axon starts, in tests as in production.
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
    }
}
