package dev.svcaccounts.credentials.projection;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The projections that write the credential tables, imported by the command application alone: they run in the
 * processing group {@value CredentialProjection#PROCESSING_GROUP}, which the command application makes subscribing
 * ({@code command-side.yml}), so they write in the transaction that appends the events. A second application
 * running them would write the tables again, out of that transaction.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan
public class CredentialWrites {
}
