package dev.svcaccounts.command.workspace;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.annotation.AnnotationUtils;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Which workspace a command is for: Axon's {@link AnnotationCommandTargetResolver}, with the annotated field looked
 * up once per command class instead of on every command (Axon walks the class's fields and methods and their
 * annotations each time: about 2% of the command side's CPU per command, issue 18). A command record whose target is
 * a single component annotated {@link TargetAggregateIdentifier}, with no {@link TargetAggregateVersion} anywhere,
 * which is every workspace command, is read through that component's field; anything else, and a command whose
 * target is null (refused by Axon with its own message), goes to Axon's resolver as before.
 */
final class WorkspaceTargetResolver implements CommandTargetResolver {

    private final CommandTargetResolver axon = AnnotationCommandTargetResolver.builder().build();
    private final ClassValue<Optional<Field>> targets = new ClassValue<>() {
        @Override
        protected Optional<Field> computeValue(Class<?> type) {
            return targetField(type);
        }
    };

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Object payload = command.getPayload();
        Optional<Field> target = payload == null ? Optional.empty() : targets.get(payload.getClass());
        if (target.isPresent()) {
            Object identifier;
            try {
                identifier = target.get().get(payload);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read the target of " + payload.getClass().getName(), e);
            }
            if (identifier != null) {
                return new VersionedAggregateIdentifier(identifier, null);
            }
        }
        return axon.resolveTarget(command);
    }

    /**
     * The field of the one record component annotated as the target, when nothing else in the record carries either
     * annotation (directly or as a meta-annotation, as Axon reads them). On a record the annotation is on both the
     * field and its accessor, which return the same value, whichever of the two Axon reads.
     */
    static Optional<Field> targetField(Class<?> type) {
        if (!type.isRecord()) {
            return Optional.empty();
        }
        Field found = null;
        for (Field field : type.getDeclaredFields()) {
            if (AnnotationUtils.isAnnotationPresent(field, TargetAggregateVersion.class)) {
                return Optional.empty();
            }
            if (AnnotationUtils.isAnnotationPresent(field, TargetAggregateIdentifier.class)) {
                if (found != null) {
                    return Optional.empty();
                }
                found = field;
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (AnnotationUtils.isAnnotationPresent(method, TargetAggregateVersion.class)) {
                return Optional.empty();
            }
            boolean accessorOfFound = found != null && method.getParameterCount() == 0
                    && method.getName().equals(found.getName());
            if (AnnotationUtils.isAnnotationPresent(method, TargetAggregateIdentifier.class) && !accessorOfFound) {
                return Optional.empty();
            }
        }
        if (found == null || !found.trySetAccessible()) {
            return Optional.empty();
        }
        return Optional.of(found);
    }
}
