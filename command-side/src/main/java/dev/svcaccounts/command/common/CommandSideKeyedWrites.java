package dev.svcaccounts.command.common;

import dev.svcaccounts.infra.idempotency.KeyedWrites;
import org.springframework.stereotype.Component;

import java.util.Set;

/** Every request of the command side that may change something honours {@code Idempotency-Key}. */
@Component
class CommandSideKeyedWrites implements KeyedWrites {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Override
    public boolean covers(String method, String path) {
        return WRITES.contains(method);
    }
}
