package dev.svcaccounts.command.common;

import dev.svcaccounts.infra.idempotency.KeyedWrites;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

import java.util.Set;

/** Every request of the command side that may change something honours {@code Idempotency-Key}. */
@Component
class CommandSideKeyedWrites implements KeyedWrites {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Override
    public boolean covers(HttpServletRequest request) {
        return WRITES.contains(request.getMethod());
    }
}
