package dev.svcaccounts.system.fuzz;

import io.swagger.v3.oas.models.media.Schema;

import java.util.List;

/**
 * One operation of an OpenAPI document: where it is, its parameters and its request body, as documented.
 *
 * @param path  the path template, e.g. {@code /v1/workspaces/{ws}/members/{username}}
 * @param body  the documented request body, or null when the operation documents none
 */
public record Operation(Side side, String method, String path, List<Parameter> pathParameters,
                        List<Parameter> queryParameters, Body body) {

    /** A path or query parameter; {@code schema} may be null when the document gives none. */
    public record Parameter(String name, boolean required, Schema<?> schema) {
    }

    /** The request body: its media type (JSON or a form) and the schema of its object. */
    public record Body(String mediaType, Schema<?> schema, boolean required) {

        public boolean isForm() {
            return mediaType.startsWith("application/x-www-form-urlencoded");
        }
    }

    /** {@code POST /v1/workspaces/{ws}/members}, as reports name operations. */
    public String label() {
        return method + " " + path;
    }

    public boolean isRead() {
        return method.equals("GET") || method.equals("HEAD");
    }
}
