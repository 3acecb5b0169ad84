package dev.svcaccounts.system;

import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each application creates the beans it uses and no others: what only the query side needs (its processors'
 * segment sharing, lag and positions, its plain-JDBC idempotent write) is not created in the command application.
 * Classes are named by their simple names, so the check holds wherever such a class is moved.
 */
class ApplicationWiringIT {

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

    /** The simple names of the classes of every bean the application has. */
    private static List<String> beanClasses(ConfigurableApplicationContext application) {
        return Arrays.stream(application.getBeanDefinitionNames())
                .map(application::getType)
                .filter(Objects::nonNull)
                .map(type -> ClassUtils.getUserClass(type).getSimpleName())
                .toList();
    }
}
