package dev.svcaccounts.credentials;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

/**
 * The lookups of the credential tables, for both applications (shared-infra imports this). Not the projections that
 * write them: those are {@link dev.svcaccounts.credentials.projection.CredentialWrites}, for the command application
 * only, so the query application never gets a second writer.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = "dev\\.svcaccounts\\.credentials\\.projection\\..*"))
public class CredentialReads {
}
