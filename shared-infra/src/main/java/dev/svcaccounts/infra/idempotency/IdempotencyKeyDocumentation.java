package dev.svcaccounts.infra.idempotency;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The {@code Idempotency-Key} header in the OpenAPI document, on every operation that honours it. */
@Component
class IdempotencyKeyDocumentation implements OpenApiCustomizer {

    private static final String DESCRIPTION = "Makes the write safe to retry, on any node: the same key with the same "
            + "request gets the first answer (status and body) for 24 h, marked Idempotent-Replayed; another request "
            + "with the key 422; while the first runs 409; an answer that held a token secret 409 "
            + "idempotent-replay-of-secret with the token's id. Per principal; 1-255 visible ASCII characters "
            + "without '\"' or '\\', optionally quoted (a UUID is a good choice).";

    private final ObjectProvider<KeyedWrites> keyedWrites;

    IdempotencyKeyDocumentation(ObjectProvider<KeyedWrites> keyedWrites) {
        this.keyedWrites = keyedWrites;
    }

    @Override
    public void customise(OpenAPI openApi) {
        KeyedWrites writes = keyedWrites.getIfAvailable();
        if (writes == null || openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (writes.covers(method.name(), path)) {
                operation.addParametersItem(new HeaderParameter().name(IdempotencyKey.HEADER).required(false)
                        .description(DESCRIPTION)
                        .schema(new StringSchema().minLength(1).maxLength(IdempotencyKey.MAX_LENGTH + 2)));
            }
        }));
    }
}
