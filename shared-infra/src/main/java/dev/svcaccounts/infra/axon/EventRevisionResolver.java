package dev.svcaccounts.infra.axon;

import dev.svcaccounts.events.EventRevision;
import org.axonframework.serialization.RevisionResolver;

/** Reads {@link EventRevision} so event classes need no Axon annotation. */
class EventRevisionResolver implements RevisionResolver {

    @Override
    public String revisionOf(Class<?> payloadType) {
        EventRevision revision = payloadType.getAnnotation(EventRevision.class);
        return revision == null ? null : revision.value();
    }
}
