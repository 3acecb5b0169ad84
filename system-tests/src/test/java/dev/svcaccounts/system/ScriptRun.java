package dev.svcaccounts.system;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A run of the offline verifier as an auditor runs it: {@code java scripts/VerifyAuditExport.java ...} from the
 * repository root, with the JDK running the tests; its exit code and what it printed (stdout and stderr together).
 */
record ScriptRun(int exitCode, String output) {

    static final String SCRIPT = "scripts/VerifyAuditExport.java";
    private static Path compiled;

    /** {@code java scripts/VerifyAuditExport.java arguments...}, exactly as an auditor runs it. */
    static ScriptRun of(String... arguments) {
        return run(List.of(SCRIPT), arguments);
    }

    /**
     * The same program compiled once per JVM: the same code without compiling it again on every run, for tests that
     * run it many times.
     */
    static ScriptRun compiled(String... arguments) {
        return run(List.of("-cp", compiledClasses().toString(), "VerifyAuditExport"), arguments);
    }

    private static synchronized Path compiledClasses() {
        if (compiled == null) {
            try {
                Path classes = Files.createTempDirectory("verify-audit-export");
                int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                        repositoryRoot().resolve(SCRIPT).toString());
                if (status != 0) {
                    throw new AssertionError(SCRIPT + " does not compile");
                }
                compiled = classes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return compiled;
    }

    private static ScriptRun run(List<String> program, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(program);
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(repositoryRoot().toFile())
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the verifier did not end within 60 s: " + output);
            }
            return new ScriptRun(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The parent of the system-tests module (failsafe sets {@code basedir} to the module). */
    static Path repositoryRoot() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent();
    }
}
