package dev.svcaccounts.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name value} options of a subcommand; {@code --watch role=pid} may repeat. Everything after {@code --}
 * is kept apart (the command line of a program to run).
 */
final class Options {

    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> rest = new ArrayList<>();

    Options(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                rest.addAll(args.subList(i + 1, args.size()));
                return;
            }
            if (!arg.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("expected '--name value', got '" + arg + "'");
            }
            values.computeIfAbsent(arg.substring(2), k -> new ArrayList<>()).add(args.get(++i));
        }
    }

    String string(String name) {
        List<String> given = values.get(name);
        if (given == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return given.get(given.size() - 1);
    }

    String string(String name, String fallback) {
        return values.containsKey(name) ? string(name) : fallback;
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(string(name)) : fallback;
    }

    Path path(String name) {
        return Path.of(string(name));
    }

    /** {@code --watch role=pid}: the processes (with their children) whose CPU is reported by role. */
    Map<String, Long> watched() {
        Map<String, Long> roles = new LinkedHashMap<>();
        for (String spec : values.getOrDefault("watch", List.of())) {
            int eq = spec.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--watch takes role=pid, got '" + spec + "'");
            }
            roles.put(spec.substring(0, eq), Long.parseLong(spec.substring(eq + 1)));
        }
        return roles;
    }

    /** The arguments after {@code --}. */
    List<String> rest() {
        return rest;
    }

    /** A secret from the environment rather than the command line, where any user's {@code ps} would show it. */
    static String secret(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + variable + " is required");
        }
        return value;
    }
}
