package dev.svcaccounts.command.workspace;

import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/** The {@link Workspace} repository: event sourced, with the node's recently used workspaces kept in memory. */
@Configuration(proxyBeanMethods = false)
class WorkspaceRepositoryConfiguration {

    @Bean
    CatchingUpRepository<Workspace> workspaceRepository(
            org.axonframework.config.Configuration axon, EventStore eventStore, EventStorageEngine storage, Clock clock,
            @Value("${svcaccounts.workspace-cache.entries}") int entries,
            @Value("${svcaccounts.workspace-cache.events}") long events,
            @Value("${svcaccounts.workspace-cache.shared-for}") Duration sharedFor) {
        return new CatchingUpRepository<>(
                EventSourcingRepository.builder(Workspace.class)
                        .aggregateModel(AnnotatedAggregateMetaModelFactory.inspectAggregate(Workspace.class,
                                axon.parameterResolverFactory(), axon.handlerDefinition(Workspace.class)))
                        .repositoryProvider(axon::repository),
                new RecentWorkspaces(entries, events), new SharedWorkspaces(clock, sharedFor, entries), eventStore,
                storage);
    }

    /** The check after each command decided on a cached workspace without a look at the store. */
    @Bean
    StaleDecisions staleDecisions(CatchingUpRepository<Workspace> workspaceRepository) {
        return new StaleDecisions(workspaceRepository);
    }

    /** Which workspace a command is for, the annotated field found once per command class. */
    @Bean
    WorkspaceTargetResolver workspaceTargetResolver() {
        return new WorkspaceTargetResolver();
    }
}
