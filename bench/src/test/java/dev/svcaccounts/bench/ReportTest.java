package dev.svcaccounts.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    /** A run where every figure sits just on the right side of its target. */
    private static Results passing() {
        return new Results()
                .put("raw.insert.rate", 1000.0).put("raw.insert.p99_ms", 10.0)
                .put("raw.select.rate", 10000.0).put("raw.select.p99_ms", 1.0)
                .put("kind.commands.rate", 300.0).put("kind.commands.p99_ms", 100.0)
                .put("kind.introspection.rate", 2500.0).put("kind.introspection.p99_ms", 5.0)
                .put("kind.reads.rate", 2000.0)
                .put("rw.all.count", 50).put("rw.all.p99_ms", 999.0)
                .put("replay.events", 1_000_000).put("replay.complete", "true").put("replay.rate", 20_000.0)
                .put("replay.first_tenth_rate", 25_000.0).put("replay.last_tenth_rate", 20_000.0)
                .put("rss.commands.command_side_mb", 511.0).put("rss.replay.query_side_mb", 300.0)
                .put("rss.commands.query_side_mb", 500.0)
                .put("deactivation.tokens_before", 12_000).put("deactivation.tokens_seeded", 262_000)
                .put("kind.deactivation_before_deactivate.p50_ms", 10.0)
                .put("kind.deactivation_seeded_deactivate.p50_ms", 20.0)
                .put("kind.deactivation_before_deactivate.rate", 100.0).put("cpu.deactivation_before.postgres", 0.5)
                .put("kind.deactivation_seeded_deactivate.rate", 50.0).put("cpu.deactivation_seeded.postgres", 0.5);
    }

    @Test
    void figuresOnTheRightSideOfEveryTargetPass() {
        String table = new Report(passing()).render();

        assertThat(line(table, "commands over HTTP")).contains("0.30").endsWith("PASS");
        assertThat(line(table, "token introspection")).contains("0.25").endsWith("PASS");
        assertThat(line(table, "read-your-write")).endsWith("PASS");
        assertThat(line(table, "audit replay")).contains("20,000 ev/s").endsWith("PASS");
        assertThat(line(table, "  last tenth")).contains("0.80").endsWith("PASS");
        assertThat(line(table, "memory (max RSS), command side")).contains("511 MB").endsWith("PASS");
        assertThat(line(table, "memory (max RSS), query side")).contains("500 MB").endsWith("PASS");
        assertThat(line(table, "deactivate service account, 12,000 tokens")).doesNotContain("PASS");
        assertThat(line(table, "deactivate service account, 262,000 tokens")).contains("2.00").endsWith("PASS");
    }

    @Test
    void eachTargetFailsOnItsOwn() {
        assertThat(line(render(passing().put("kind.commands.rate", 299.0)), "commands over HTTP")).endsWith("FAIL");
        assertThat(line(render(passing().put("kind.commands.p99_ms", 101.0)), "commands over HTTP")).endsWith("FAIL");
        assertThat(line(render(passing().put("kind.introspection.rate", 2499.0)), "token introspection"))
                .endsWith("FAIL");
        assertThat(line(render(passing().put("kind.introspection.p99_ms", 5.1)), "token introspection"))
                .endsWith("FAIL");
        assertThat(line(render(passing().put("rw.all.p99_ms", 1000.0)), "read-your-write")).endsWith("FAIL");
        assertThat(line(render(passing().put("replay.rate", 19_999.0)), "audit replay")).endsWith("FAIL");
        assertThat(line(render(passing().put("replay.last_tenth_rate", 19_999.0)), "  last tenth")).endsWith("FAIL");
        assertThat(line(render(passing().put("rss.replay.query_side_mb", 512.0)), "memory (max RSS), query side"))
                .endsWith("FAIL");
        assertThat(line(render(passing().put("kind.deactivation_seeded_deactivate.p50_ms", 20.1)),
                "deactivate service account, 262,000 tokens")).endsWith("FAIL");
        assertThat(line(render(passing().put("cpu.deactivation_seeded.postgres", 0.51)),
                "deactivate service account, 262,000 tokens")).endsWith("FAIL");
    }

    @Test
    void aReplayThatDidNotFinishFailsAndSaysHowFarItGot() {
        String table = render(passing().put("replay.complete", "false").put("replay.done", 0.42));
        assertThat(line(table, "audit replay")).endsWith("FAIL");
        assertThat(table).contains("did not finish in time: 42% done");
    }

    @Test
    void aSmokeRunsSmallReplayIsNotJudged() {
        assertThat(line(render(passing().put("replay.events", 50_000)), "audit replay")).endsWith("n/a (< 1M)");
    }

    @Test
    void aPhaseThatWasNotMeasuredIsNotAPass() {
        Results results = passing();
        Results withoutIntrospection = new Results();
        for (String key : results.keysStartingWith("")) {
            if (!key.startsWith("kind.introspection")) {
                withoutIntrospection.put(key, results.string(key));
            }
        }
        assertThat(line(render(withoutIntrospection), "token introspection")).endsWith("n/a");
    }

    @Test
    void tokenExchangesHaveARowOnlyWhenMeasuredWithTheirCpuPerExchange() {
        assertThat(render(passing())).doesNotContain("token exchange");

        String table = render(passing().put("kind.exchanges.rate", 200.0).put("kind.exchanges.p50_ms", 20.0)
                .put("kind.exchanges.p95_ms", 60.0).put("kind.exchanges.p99_ms", 110.0)
                .put("kind.exchanges.errors", 3).put("cpu.exchanges.other", 0.5).put("cpu.exchanges.machine", 2.0)
                .put("cpu.exchanges.command_side", 0.6).put("cpu.exchanges.postgres", 0.2)
                .put("local.sign_jwt.count", 6000).put("local.sign_jwt.p50_ms", 1.25)
                .put("local.sign_jwt.p95_ms", 14.0).put("local.sign_jwt.p99_ms", 31.9));

        assertThat(line(table, "token exchange")).contains("200 req/s", "20.0 ms", "60.0 ms", "110 ms", "0.50")
                .doesNotContain("PASS", "FAIL");
        assertThat(line(table, "  signing the JWT")).contains("6,000 JWTs", "1.25 ms", "31.9 ms");
        assertThat(line(table, "CPU, exchanges phase")).contains("command side 0.60");
        assertThat(table).contains("CPU per exchange: postgres 1.00 ms, command side 3.00 ms")
                .contains("token exchange: 3 requests failed");
    }

    @Test
    void everyMeasuredPhase_hasTheCpuPerRequestOfEachProcess_andTheHeaderNamesTheMachineAndTheJvm() {
        String table = render(passing().put("cpu.introspection.machine", 1.9).put("cpu.introspection.cpus", 2)
                .put("cpu.introspection.other", 0.05).put("cpu.introspection.query_side", 1.35)
                .put("cpu.introspection.postgres", 0.5).put("cpu.replay.machine", 1.0).put("cpu.replay.cpus", 2)
                .put("cpu.replay.other", 0.0).put("cpu.replay.query_side", 0.8)
                .put("context.cpu_model", "AMD EPYC 7B13").put("context.java", "OpenJDK 17.0.13")
                .put("context.jvm_defaults", "-XX:+UseSerialGC"));

        assertThat(line(table, "  CPU per request")).contains("postgres 0.200 ms", "query side 0.540 ms");
        assertThat(line(table, "  CPU per event")).contains("query side 0.040 ms");
        assertThat(table).contains("Machine: AMD EPYC 7B13, ").contains("Java: OpenJDK 17.0.13; the JVM's own "
                + "choices here: -XX:+UseSerialGC");
    }

    @Test
    void eachCommandKindAlone_hasItsRowsUnderTheMix_andItsCpuPerRequestOfEachProcess() {
        assertThat(render(passing())).doesNotContain("alone:");

        String table = render(passing().put("kind.commands_accounts.rate", 200.0)
                .put("kind.commands_accounts.p50_ms", 12.0).put("kind.commands_accounts.p99_ms", 80.0)
                .put("kind.commands_accounts.errors", 2)
                .put("phase.commands_accounts.kinds",
                        "commands_accounts.create_account,commands_accounts.delete_account")
                .put("kind.commands_accounts.create_account.rate", 100.0)
                .put("kind.commands_accounts.create_account.p99_ms", 70.0)
                .put("kind.commands_accounts.delete_account.rate", 100.0)
                .put("kind.commands_accounts.delete_account.p99_ms", 90.0)
                .put("cpu.commands_accounts.machine", 2.0).put("cpu.commands_accounts.cpus", 2)
                .put("cpu.commands_accounts.other", 0.1).put("cpu.commands_accounts.command_side", 0.6)
                .put("cpu.commands_accounts.postgres", 0.4).put("cpu.commands_accounts.query_side", 0.2)
                .put("kind.create_account.rate", 50.0).put("phase.commands.kinds", "create_account"));

        assertThat(line(table, "  alone: create / delete account in turn"))
                .contains("200 req/s", "12.0 ms", "80.0 ms", "0.10").doesNotContain("PASS", "FAIL");
        assertThat(line(table, "    create service account")).contains("100 req/s", "70.0 ms");
        assertThat(line(table, "    delete service account")).contains("100 req/s", "90.0 ms");
        assertThat(line(table, "  create service account")).contains("50.0 req/s"); // the mix's row, unchanged
        assertThat(line(table, "commands over HTTP")).contains("300 req/s").endsWith("PASS");
        String cpu = table.substring(table.indexOf("CPU, commands accounts phase"));
        assertThat(line(cpu, "  CPU per request"))
                .contains("postgres 2.000 ms", "command side 3.000 ms", "query side 1.000 ms");
        assertThat(table).contains("commands, alone: create / delete account in turn: 2 requests failed");
        assertThat(render(passing())).doesNotContain("alone:");
    }

    @Test
    void theJitCompilersShareOfEachJvmIsShownUnderItsCpuPerRequest_andNothingWhereNoneWasMeasured() {
        Results results = passing().put("cpu.introspection.machine", 1.9).put("cpu.introspection.cpus", 2)
                .put("cpu.introspection.other", 0.05).put("cpu.introspection.query_side", 1.35)
                .put("cpu.introspection.postgres", 0.5);
        assertThat(render(results)).doesNotContain("of which JIT compiler");

        String table = render(results.put("cpu.introspection.query_side_jit", 0.25)
                .put("cpu.introspection.command_side_jit", 0.0));

        String cpu = table.substring(table.indexOf("CPU, introspection phase"));
        assertThat(line(cpu, "    of which JIT compiler")).contains("command side 0.000 ms", "query side 0.100 ms")
                .doesNotContain("postgres");
    }

    private static String render(Results results) {
        return new Report(results).render();
    }

    private static String line(String table, String start) {
        return table.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starts with '" + start + "' in\n" + table));
    }
}
