package dev.svcaccounts.query.projection;

import dev.svcaccounts.infra.idempotency.KeyedWrites;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;

/**
 * The query side's writes, {@code POST /v1/admin/projections/{name}/replay} and {@code POST /v1/admin/audit/verify},
 * honour {@code Idempotency-Key}. {@code POST /v1/introspect} only reads: its header is ignored.
 */
@Component
class QuerySideKeyedWrites implements KeyedWrites {

    private static final Pattern REPLAY = Pattern.compile("/v1/admin/projections/[^/]+/replay");
    private static final String VERIFY = "/v1/admin/audit/verify";

    @Override
    public boolean covers(String method, String path) {
        return "POST".equals(method) && (REPLAY.matcher(path).matches() || VERIFY.equals(path));
    }
}
