package dev.svcaccounts.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The tools {@code bench/run.sh} calls, one subcommand each: {@code load} (the HTTP load generator),
 * {@code pgbench} (pgbench with CPU sampling and percentiles), {@code deactivation} (deactivations against a
 * growing credential table), {@code replay} (watches the audit projection rebuild), {@code soak} (a long run at
 * half the capacity, by the minute) and {@code report} (the table). Each measuring one writes a {@code .properties}
 * file of figures.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: bench load|pgbench|deactivation|replay|verify|soak|report --option value ..."
                    + " (see bench/run.sh)");
            System.exit(2);
        }
        Options options = new Options(List.of(Arrays.copyOfRange(args, 1, args.length)));
        switch (args[0]) {
            case "load" -> HttpLoad.run(options);
            case "pgbench" -> Pgbench.run(options);
            case "replay" -> ReplayWatch.run(options);
            case "verify" -> VerifyWatch.run(options);
            case "deactivation" -> Deactivation.run(options);
            case "soak" -> Soak.run(options);
            case "report" -> Report.run(options);
            default -> {
                System.err.println("unknown subcommand '" + args[0] + "'");
                System.exit(2);
            }
        }
        System.exit(0); // the HTTP client's threads would keep the JVM alive a little longer
    }
}
