package dev.svcaccounts.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of one scrape of {@code /actuator/prometheus} (the text format: {@code name{label="value",...} 1.0},
 * comments skipped), with the sums and maxima the soak reports. Only what Micrometer writes is understood: label
 * values hold no escaped quotes that matter here, and a sample line has no timestamp.
 */
final class Prometheus {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();

    static Prometheus parse(String text) {
        Prometheus parsed = new Prometheus();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 1) {
                continue;
            }
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace > 0 && brace < space) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}');
                parseLabels(line.substring(brace + 1, close), labels);
            } else {
                name = line.substring(0, space);
            }
            try {
                parsed.samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
            } catch (NumberFormatException e) {
                // NaN and +Inf are parsed; anything else is not a sample line
            }
        }
        return parsed;
    }

    private static void parseLabels(String text, Map<String, String> into) {
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            int open = text.indexOf('"', eq);
            int close = text.indexOf('"', open + 1);
            while (close > 0 && text.charAt(close - 1) == '\\') {
                close = text.indexOf('"', close + 1);
            }
            if (eq < 0 || open < 0 || close < 0) {
                return;
            }
            into.put(text.substring(i, eq).strip(), text.substring(open + 1, close));
            i = close + 1;
            while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
        }
    }

    /** The sum of every sample of {@code name} whose labels include {@code labels} (key, value, ...); NaN if none. */
    double sum(String name, String... labels) {
        double sum = Double.NaN;
        for (Sample s : matching(name, labels)) {
            sum = Double.isNaN(sum) ? s.value() : sum + s.value();
        }
        return sum;
    }

    /** The highest sample of {@code name} whose labels include {@code labels}; NaN if none. */
    double max(String name, String... labels) {
        double max = Double.NaN;
        for (Sample s : matching(name, labels)) {
            max = Double.isNaN(max) ? s.value() : Math.max(max, s.value());
        }
        return max;
    }

    private List<Sample> matching(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (all) {
                found.add(s);
            }
        }
        return found;
    }
}
