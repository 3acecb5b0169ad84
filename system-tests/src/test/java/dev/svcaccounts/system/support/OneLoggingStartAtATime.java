package dev.svcaccounts.system.support;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

import java.util.concurrent.Semaphore;

/**
 * Applications started in this JVM at the same time (two command nodes racing for the operator credential, a node
 * started while another waits for its database) share one Logback context, and Spring Boot's logging set-up of one
 * can reset it while the other's is under way: "Unable to find Spring Environment in logger context" (seen in 1 of
 * 8 suite runs). Each start holds this lock from its first event until its logging is set up (the environment
 * prepared, after Spring Boot's own logging listener), so only that short phase is serialised; the rest of the
 * starts still run together.
 */
final class OneLoggingStartAtATime implements ApplicationListener<SpringApplicationEvent>, Ordered {

    private static final Semaphore LOGGING_SET_UP = new Semaphore(1);

    private boolean held;

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationStartingEvent) {
            LOGGING_SET_UP.acquireUninterruptibly();
            held = true;
        } else if ((event instanceof ApplicationEnvironmentPreparedEvent || event instanceof ApplicationFailedEvent)
                && held) {
            held = false;
            LOGGING_SET_UP.release();
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
