package dev.svcaccounts.system.support;

import java.util.Map;

/**
 * Does a token authenticate right now? Each probe is a request that changes nothing whoever sends it, and
 * answers 401 when the token is refused: anything else means it was accepted as some principal.
 */
public final class Probe {

    /** An account id no workspace has. */
    public static final String NO_SUCH_ACCOUNT = "00000000-0000-0000-0000-000000000000";

    private Probe() {
    }

    /**
     * Command side: PATCH of an account that does not exist: 401 refused, 403 a service account
     * (never an admin), 404 an admin of {@code ws}.
     */
    public static Response commandSide(Api api, String ws, String token) {
        return api.command("PATCH", Api.serviceAccount(ws, NO_SUCH_ACCOUNT)).token(token)
                .json(Map.of("description", "probe")).send();
    }

    /** Query side: the account list: 401 refused, 403 a service account, 200 an admin of {@code ws}. */
    public static Response querySide(Api api, String ws, String token) {
        return api.query("GET", Api.serviceAccounts(ws)).token(token).send();
    }
}
