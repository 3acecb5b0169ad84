package dev.svcaccounts.system;

import dev.svcaccounts.system.support.RunningSystem;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.WebApplicationContext;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each application creates the beans it uses and no others: what only the query side needs (its processors'
 * segment sharing, lag and positions, its plain-JDBC idempotent write) is not created in the command application,
 * and the projections that write the credential tables run in the command application only, subscribing (in the
 * command's transaction). Classes are named by their simple names, so the check holds wherever one is moved.
 */
class ApplicationWiringIT {

    /** The writers of the credential tables, and their processing group. */
    private static final List<String> CREDENTIAL_WRITERS = List.of("CredentialProjection", "ProjectAccessProjection");
    private static final String CREDENTIALS_GROUP = "credentials";
    /** Beans only the query application uses. */
    private static final List<String> QUERY_ONLY = List.of("SegmentBalancing", "ProcessorLagMetrics",
            "ProcessorProgress", "TrackingPositions", "IdempotentTransactions");

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("wiring");

    @Test
    void theCommandApplication_createsNoBeanOnlyTheQuerySideUses() {
        assertThat(beanClasses(system.querySide())).as("the query application's beans").containsAll(QUERY_ONLY);
        assertThat(beanClasses(system.commandSide())).as("the command application's beans")
                .doesNotContainAnyElementsOf(QUERY_ONLY);
    }

    @Test
    void theCredentialTables_areWrittenByTheCommandApplicationAlone_inTheCommandsTransaction() {
        assertThat(beanClasses(system.commandSide())).containsAll(CREDENTIAL_WRITERS);
        assertThat(system.commandSide().getBean(EventProcessingConfiguration.class)
                .eventProcessor(CREDENTIALS_GROUP)).as("the command application's '" + CREDENTIALS_GROUP + "' group")
                .containsInstanceOf(SubscribingEventProcessor.class);

        assertThat(beanClasses(system.querySide())).doesNotContainAnyElementsOf(CREDENTIAL_WRITERS);
        assertThat(system.querySide().getBean(EventProcessingConfiguration.class).eventProcessor(CREDENTIALS_GROUP))
                .as("the query application's '" + CREDENTIALS_GROUP + "' group").isEmpty();
    }

    /**
     * The hot endpoints' short routes are in each application's servlet filters, on the paths they take. Their
     * answers are compared with Spring MVC's in ShortRouteIT, ReadRouteIT and IntrospectionIT, which would compare
     * Spring MVC with itself, and pass, if a registration were lost.
     */
    @Test
    void theHotEndpointsShortRoutes_areServletFilters() {
        assertThat(filters(system.commandSide()))
                .containsEntry("assignServiceAccountRoute", "ShortRoute [/v1/workspaces/*]")
                .containsEntry("revokeServiceAccountTokenRoute", "ShortRoute [/v1/workspaces/*]")
                .containsEntry("createServiceAccountRoute", "ShortRoute [/v1/workspaces/*]")
                .containsEntry("deleteServiceAccountRoute", "ShortRoute [/v1/workspaces/*]")
                .containsEntry("issueServiceAccountTokenRoute", "ShortRoute [/v1/workspaces/*]");
        assertThat(filters(system.querySide()))
                .containsEntry("introspectionRoute", "IntrospectionRoute [/v1/introspect]")
                .containsEntry("getServiceAccountRoute", "ShortRoute [/v1/workspaces/*]")
                .containsEntry("getProjectAccessRoute", "ShortRoute [/v1/workspaces/*]");
    }

    /** Each servlet filter's name, with its class's simple name and its URL patterns. */
    private static Map<String, String> filters(ConfigurableApplicationContext application) {
        Map<String, String> filters = new TreeMap<>();
        ((WebApplicationContext) application).getServletContext().getFilterRegistrations().forEach((name, filter) ->
                filters.put(name, ClassUtils.getShortName(filter.getClassName()) + " "
                        + filter.getUrlPatternMappings()));
        return filters;
    }

    /** The simple names of the classes of every bean the application has. */
    private static List<String> beanClasses(ConfigurableApplicationContext application) {
        return Arrays.stream(application.getBeanDefinitionNames())
                .map(application::getType)
                .filter(Objects::nonNull)
                .map(type -> ClassUtils.getUserClass(type).getSimpleName())
                .toList();
    }
}
