package dev.svcaccounts.command.workspace;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The workspace limits from the settings; command handlers take the bean as a parameter. */
@Configuration(proxyBeanMethods = false)
class WorkspaceLimitsConfiguration {

    @Bean
    WorkspaceLimits workspaceLimits(@Value("${svcaccounts.limits.projects-per-workspace}") int projects,
                                    @Value("${svcaccounts.limits.members-per-workspace}") int members,
                                    @Value("${svcaccounts.limits.assignments-per-workspace}") int assignments,
                                    @Value("${svcaccounts.limits.active-tokens-per-principal}") int tokens) {
        return new WorkspaceLimits(projects, members, assignments, tokens);
    }
}
