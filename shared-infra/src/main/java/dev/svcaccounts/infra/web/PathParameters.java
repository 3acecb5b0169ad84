package dev.svcaccounts.infra.web;

import dev.svcaccounts.events.ProjectKey;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;

import java.util.List;

/**
 * The path parameters' schemas, by name: what the ids they name can be, as the rules that create them allow (a
 * value outside them names nothing, so it is a 404 without its own check). The same names mean the same thing on
 * every path of both sides.
 */
final class PathParameters {

    private static final String UUID = "A service account's, token's or federation rule's id (a UUID)";

    private PathParameters() {
    }

    static void describe(Parameter parameter) {
        Schema<?> schema = switch (parameter.getName()) {
            case "ws" -> new StringSchema().minLength(3).maxLength(40).pattern("^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")
                    .description("The workspace's id");
            case "key" -> new StringSchema().minLength(2).maxLength(40).pattern("^" + ProjectKey.PATTERN + "$")
                    .description("The project's key");
            case "username" -> new StringSchema().minLength(1).maxLength(39).description("The user's username");
            case "id", "saId", "tokenId", "ruleId" ->
                    new StringSchema().format("uuid").maxLength(36).description(UUID);
            case "clientId" -> new StringSchema().minLength(39).maxLength(39).pattern("^ic_[0-9a-f-]{36}$")
                    .description("An introspection client's id");
            case "name" -> new StringSchema()._enum(List.of("service-accounts", "members", "projects",
                    "audit")).description("A query-side read model");
            default -> null;
        };
        if (schema != null) {
            parameter.setSchema(schema);
        }
    }
}
