package dev.svcaccounts.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bench pgbench --name N --log-dir D -- pgbench ...}: runs pgbench as a child process with a log line per
 * transaction, samples CPU meanwhile, and writes {@code raw.N.*}: pgbench's own tps (without the initial
 * connection time) and p50/p95/p99 from the transaction log, which pgbench's summary does not give.
 */
final class Pgbench {

    private static final Pattern TPS =
            Pattern.compile("^tps = ([0-9.]+) \\(without initial connection time\\)", Pattern.MULTILINE);
    private static final Pattern FAILED =
            Pattern.compile("^number of failed transactions: (\\d+)", Pattern.MULTILINE);

    private Pgbench() {
    }

    static void run(Options options) throws Exception {
        String name = options.string("name");
        Path logDir = options.path("log-dir");
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>(options.rest());
        if (command.isEmpty()) {
            throw new IllegalArgumentException("give the pgbench command line after --");
        }
        command.add("--log");
        command.add("--log-prefix=" + logDir.resolve("tx"));
        Map<String, Long> watched = new LinkedHashMap<>(options.watched());
        watched.put("load_generator", ProcessHandle.current().pid()); // pgbench is our child: it counts here

        Path stdout = logDir.resolve("pgbench.out");
        Process pgbench = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(stdout.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(pgbench::destroy)); // stopped by run.sh: pgbench too
        ProcessSampler sampler = new ProcessSampler(watched, options.integer("clock-ticks", 100)).start();
        int exit = pgbench.waitFor();
        ProcessSampler.Usage usage = sampler.stop();
        String output = Files.readString(stdout, StandardCharsets.UTF_8);
        System.err.print(output.lines().map(l -> "[pgbench] " + l + "\n").reduce("", String::concat));
        if (exit != 0) {
            throw new IllegalStateException("pgbench exited with status " + exit + " (output in " + stdout + ")");
        }

        Results results = new Results();
        results.put("raw." + name + ".rate", number(TPS, output, "tps"));
        Matcher failed = FAILED.matcher(output); // pgbench 15 and later
        results.put("raw." + name + ".errors", failed.find() ? Long.parseLong(failed.group(1)) : 0);
        transactionLatencies(logDir).writeTo(results, "raw." + name);
        usage.writeTo(results, "raw_" + name);
        results.write(options.path("out"));
    }

    /**
     * Each line of pgbench's transaction log is {@code client_id transaction_no time script_no time_epoch
     * time_us}, where {@code time} is the transaction's latency in microseconds (one file per pgbench thread).
     */
    static Latencies transactionLatencies(Path logDir) throws IOException {
        Latencies latencies = new Latencies();
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("tx.")).toList()) {
                try (Stream<String> lines = Files.lines(file, StandardCharsets.US_ASCII)) {
                    lines.forEach(line -> {
                        String[] f = line.split(" ");
                        if (f.length >= 3 && !f[2].equals("failed") && !f[2].equals("skipped")) {
                            latencies.add(Long.parseLong(f[2]) * 1000);
                        }
                    });
                }
            }
        }
        return latencies;
    }

    private static double number(Pattern pattern, String output, String what) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("pgbench printed no " + what + ":\n" + output);
        }
        return Double.parseDouble(m.group(1));
    }
}
