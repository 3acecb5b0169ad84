package dev.svcaccounts.command.workspace;

import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link Workspace} repository: event sourced, with the node's recently used workspaces kept in memory. */
@Configuration(proxyBeanMethods = false)
class WorkspaceRepositoryConfiguration {

    @Bean
    Repository<Workspace> workspaceRepository(org.axonframework.config.Configuration axon, EventStore eventStore,
                                              @Value("${svcaccounts.workspace-cache.entries}") int entries,
                                              @Value("${svcaccounts.workspace-cache.events}") long events) {
        return new CatchingUpRepository<>(
                EventSourcingRepository.builder(Workspace.class)
                        .aggregateModel(AnnotatedAggregateMetaModelFactory.inspectAggregate(Workspace.class,
                                axon.parameterResolverFactory(), axon.handlerDefinition(Workspace.class)))
                        .repositoryProvider(axon::repository),
                new RecentWorkspaces(entries, events), eventStore);
    }

    /** Which workspace a command is for, the annotated field found once per command class. */
    @Bean
    WorkspaceTargetResolver workspaceTargetResolver() {
        return new WorkspaceTargetResolver();
    }
}
