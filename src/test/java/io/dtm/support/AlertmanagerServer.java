package io.dtm.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Alertmanager ({@code prometheus-alertmanager}) as a child process on a free port of 127.0.0.1, without
 * clustering ({@code --cluster.listen-address=}), with a configuration that routes everything to a null receiver.
 */
public final class AlertmanagerServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            route:
              receiver: 'null'
              group_wait: 1s
            receivers:
              - name: 'null'
            """;

    private final Process process;
    private final URI base;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private AlertmanagerServer(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /**
     * The Alertmanager executable on the {@code PATH} (or in {@code /usr/bin}): {@code prometheus-alertmanager} as
     * Debian names it, or {@code alertmanager} as upstream does.
     */
    public static Optional<Path> findBinary() {
        String path = System.getenv("PATH");
        for (String name : new String[] {"prometheus-alertmanager", "alertmanager"}) {
            for (String dir : ((path == null ? "" : path + File.pathSeparator) + "/usr/bin").split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts Alertmanager with its data and log under {@code workDir} and waits until it is ready. */
    public static AlertmanagerServer start(Path binary, Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path config = Files.writeString(workDir.resolve("alertmanager.yml"), CONFIG);
        Path log = workDir.resolve("alertmanager.log");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.path=" + workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AlertmanagerServer server = new AlertmanagerServer(process, URI.create("http://127.0.0.1:" + port), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                break;
            }
            try {
                if (server.http.send(HttpRequest.newBuilder(server.base.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        server.close();
        throw new IllegalStateException("Alertmanager did not start; log:\n" + Files.readString(log));
    }

    public String url() {
        return base.toString();
    }

    /** {@code GET /api/v2/alerts}: the alerts Alertmanager holds (active, silenced and inhibited). */
    public JsonNode alerts() throws IOException, InterruptedException {
        return JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/v2/alerts")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
