package dev.svcaccounts.system.fuzz;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The printed curl commands send the very bytes the fuzzer sent: checked by running their parts in bash. */
class CurlTest {

    @Test
    void bodyPrinter_writesTheExactBytes_NulQuotesPercentRunsAndHighBytesIncluded() throws Exception {
        Random random = new Random(7);
        List<byte[]> bodies = new java.util.ArrayList<>(List.of(
                "{\"name\":\"it's 100% \\\\ fine\"}".getBytes(StandardCharsets.UTF_8),
                Hostile.bytes(0, 1, 0x7F, 0x80, 0xFF, '\'', '%', '\\', '\n'),
                ("{\"a\":\"" + "x".repeat(5_000) + "\"}").getBytes(StandardCharsets.US_ASCII),
                "%".repeat(100).getBytes(StandardCharsets.US_ASCII),
                "'".repeat(30).getBytes(StandardCharsets.US_ASCII),
                new byte[0]));
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            bodies.add(bytes);
        }
        for (byte[] body : bodies) {
            assertThat(bash(Curl.bodyPrinter(body), Map.of())).as(Curl.visible(body)).isEqualTo(body);
        }
    }

    @Test
    void bodyPrinter_writesSeededValuesFromVariables() throws Exception {
        Map<String, String> values = Map.of("UNIQUE", "42", "ADMIN", "usrtok_abc");
        for (String body : List.of("{\"name\":\"Fuzz {{UNIQUE}}\"}", "token={{ADMIN}}", "{{UNIQUE}}{{UNIQUE}}x")) {
            assertThat(bash(Curl.bodyPrinter(body.getBytes(StandardCharsets.UTF_8)), values)).as(body)
                    .isEqualTo(WireRequest.resolve(body, values).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void word_writesTheExactBytes_withSeededValuesFromVariables() throws Exception {
        Map<String, String> values = Map.of("WS", "fuzz-1", "ADMIN", "usrtok_abc");
        for (String text : List.of("/v1/workspaces/{{WS}}/members/it's%2F..;x=1", "Bearer {{ADMIN}}x",
                "X-Audit-Reason: caf\u00E9 \u00FF\t'\"$HOME`id`!", "a".repeat(9_000), "{{WS}}{{WS}}", "",
                "%".repeat(40) + "'".repeat(40) + "\u00E9".repeat(40))) {
            String expected = WireRequest.resolve(text, values);
            assertThat(bash("printf '%s' " + Curl.word(text), values)).as(text)
                    .isEqualTo(expected.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void command_namesTheUrlVariable_andReadsTheBodyFromStandardInput() {
        WireRequest request = new WireRequest(Side.COMMAND, "POST", "/v1/workspaces/{{WS}}/members",
                List.of(new WireRequest.Header("Authorization", "Bearer {{ADMIN}}")),
                "{}".getBytes(StandardCharsets.US_ASCII));
        assertThat(Curl.command(request)).isEqualTo("printf '{}' | curl -sS -i --path-as-is -g -X POST"
                + " \"$COMMAND\"'/v1/workspaces/'\"${WS}\"'/members' -H 'Authorization: Bearer '\"${ADMIN}\""
                + " -H 'Accept:' -H 'Content-Type:' -H 'Expect:' --data-binary @-");
    }

    private static byte[] bash(String command, Map<String, String> variables) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command);
        builder.environment().putAll(variables);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).as("exit status of " + command).isZero();
        return out;
    }
}
