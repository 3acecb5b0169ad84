package dev.svcaccounts.system.support;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Someone a test acts as: a user or a service account of workspace {@code ws}, with one of its tokens.
 *
 * @param type    {@code user} or {@code service_account}, as the API names principal types
 * @param id      the username of a user, the id of a service account
 * @param name    the username of a user, the name of a service account
 * @param token   the token's secret, to send as a bearer token
 * @param tokenId the token's id
 */
public record Principal(String ws, String type, String id, String name, String token, String tokenId) {

    public static final String USER = "user";
    public static final String SERVICE_ACCOUNT = "service_account";

    /** {@code token} is a token as the API returns it, with its {@code secret} and {@code id}. */
    public static Principal of(String ws, String type, String id, String name, JsonNode token) {
        return new Principal(ws, type, id, name, token.path("secret").asText(), token.path("id").asText());
    }

    /** The same principal with another of its tokens (a token as the API returns it). */
    public Principal withToken(JsonNode token) {
        return of(ws, type, id, name, token);
    }
}
