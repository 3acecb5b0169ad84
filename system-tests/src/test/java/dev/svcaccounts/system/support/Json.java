package dev.svcaccounts.system.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Small helpers over Jackson trees. */
public final class Json {

    private Json() {
    }

    public static List<JsonNode> items(JsonNode page) {
        List<JsonNode> items = new ArrayList<>();
        page.path("items").forEach(items::add);
        return items;
    }

    public static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    public static Optional<JsonNode> find(List<JsonNode> nodes, String field, String value) {
        return nodes.stream().filter(n -> value.equals(n.path(field).asText(null))).findFirst();
    }

    public static Optional<JsonNode> findById(JsonNode page, String id) {
        return find(items(page), "id", id);
    }

    /**
     * The item of the page whose {@code field} is {@code value}; when there is none, an AssertionError, so that
     * {@link Eventually} reads again.
     */
    public static JsonNode item(JsonNode page, String field, String value) {
        return find(items(page), field, value)
                .orElseThrow(() -> new AssertionError("no item with " + field + " " + value + " (yet)"));
    }

    public static List<String> texts(List<JsonNode> nodes, String field) {
        return nodes.stream().map(n -> n.path(field).asText(null)).toList();
    }

    /** The elements of an array of strings. */
    public static List<String> texts(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }

    public static List<JsonNode> filter(List<JsonNode> nodes, Predicate<JsonNode> predicate) {
        return nodes.stream().filter(predicate).toList();
    }

    /** Text of a field, or null when it is absent or JSON null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
