package dev.svcaccounts.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Figures of one measurement as {@code key=value} lines ({@code bench/target/results/*.properties}); the report
 * reads them all back (plain lines, no escapes). Numbers are written with a dot and up to three decimals.
 */
final class Results {

    private final Map<String, String> values = new TreeMap<>();

    Results put(String key, String value) {
        values.put(key, value);
        return this;
    }

    Results put(String key, long value) {
        return put(key, Long.toString(value));
    }

    Results put(String key, double value) {
        return put(key, String.format(Locale.ROOT, "%.3f", value));
    }

    Results putAll(Results other) {
        values.putAll(other.values);
        return this;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String string(String key) {
        return values.get(key);
    }

    /** The number under {@code key}, or NaN when it was not measured. */
    double number(String key) {
        String value = values.get(key);
        return value == null ? Double.NaN : Double.parseDouble(value);
    }

    /** The keys that start with {@code prefix}, in order. */
    List<String> keysStartingWith(String prefix) {
        List<String> keys = new ArrayList<>();
        for (String key : values.keySet()) {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        return keys;
    }

    void write(Path file) {
        StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> text.append(key).append('=').append(value.replace("\n", " ")).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code *.properties} file of a folder, merged. */
    static Results readAll(Path dir) {
        Results all = new Results();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".properties")).sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        all.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }
}
