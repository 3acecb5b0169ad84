package dev.svcaccounts.system.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the access answers ({@code /v1/introspect}, {@code /v1/me}, the access listings) say, in forms easy to
 * compare.
 */
public final class Access {

    private Access() {
    }

    /** Introspection's {@code projects}: project key to role, sorted by key. */
    public static Map<String, String> projects(JsonNode introspection) {
        Map<String, String> projects = new TreeMap<>();
        introspection.path("projects").properties().forEach(e -> projects.put(e.getKey(), e.getValue().asText()));
        return projects;
    }

    /** Introspection's {@code scope} ({@code key:permission ...}) split at each space; empty when there is none. */
    public static List<String> scope(JsonNode introspection) {
        String scope = Json.text(introspection, "scope");
        return scope == null || scope.isBlank() ? List.of() : List.of(scope.trim().split(" "));
    }

    /** The {@code grants} of a project in {@code /v1/me} or of an access entry, each as {@code source:role}. */
    public static List<String> grants(JsonNode withGrants) {
        return Json.list(withGrants.path("grants")).stream()
                .map(g -> g.path("source").asText() + ":" + g.path("role").asText()).toList();
    }
}
