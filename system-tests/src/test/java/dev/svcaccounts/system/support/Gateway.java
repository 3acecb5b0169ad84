package dev.svcaccounts.system.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The deployment's entry point, nginx with the repository's own {@code deploy/nginx.conf}, in front of nodes
 * running as processes: the same routing docker-compose.yml uses, with the nodes' loopback addresses in its
 * {@code upstreams.conf} and a free port instead of 8000. Only where an nginx binary is installed.
 */
public final class Gateway implements AutoCloseable {

    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"),
            Path.of("/usr/local/sbin/nginx"), Path.of("/usr/local/bin/nginx"));

    private final Process process;
    private final int port;

    private Gateway(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Optional<Path> installedBinary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst();
    }

    /** Empty when nginx is not installed here. */
    public static Optional<Gateway> startIfInstalled(Path repositoryConfig, List<String> commandUrls,
                                                     List<String> queryUrls, Path directory) throws IOException {
        Optional<Path> nginx = installedBinary();
        if (nginx.isEmpty()) {
            return Optional.empty();
        }
        int port = NodeProcess.freePort();
        Files.createDirectories(directory.resolve("logs"));
        String config = Files.readString(repositoryConfig);
        if (!config.contains("listen 8000;")) {
            throw new IllegalStateException(repositoryConfig + " no longer listens on 8000: update Gateway");
        }
        Files.writeString(directory.resolve("nginx.conf"),
                config.replace("listen 8000;", "listen 127.0.0.1:" + port + ";"));
        Files.writeString(directory.resolve("upstreams.conf"), upstream("command_side", commandUrls)
                + upstream("query_side", queryUrls));
        Process process = new ProcessBuilder(nginx.get().toString(), "-p", directory.toString(),
                "-c", directory.resolve("nginx.conf").toString(),
                "-g", "daemon off; error_log stderr; pid " + directory.resolve("nginx.pid") + ";")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("nginx.log").toFile())
                .start();
        Gateway gateway = new Gateway(process, port);
        gateway.awaitUp(Duration.ofSeconds(20), directory.resolve("nginx.log"));
        return Optional.of(gateway);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private static String upstream(String name, List<String> urls) {
        return "upstream " + name + " {\n" + urls.stream()
                .map(url -> "    server " + URI.create(url).getAuthority() + ";")
                .collect(Collectors.joining("\n")) + "\n    keepalive 4;\n}\n";
    }

    private void awaitUp(Duration atMost, Path log) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(atMost);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("nginx did not answer on " + url() + ": " + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
