package io.dtm.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a real {@code prometheus} server as a child process for integration tests: it scrapes the
 * service under test and answers PromQL queries, so tests can check what a real scraper sees.
 */
public final class PrometheusServer implements AutoCloseable {

    /** Environment variable that overrides where the {@code prometheus} executable is. */
    public static final String BINARY_ENV = "DTM_PROMETHEUS_BIN";

    private static final Logger LOG = Logger.getLogger(PrometheusServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEFAULT_BINARY = Path.of("/usr/bin/prometheus");
    private static final String JOB = "dtm";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final URI baseUri;
    private final Path logFile;
    private final HttpClient http;
    private boolean closed;

    private PrometheusServer(Process process, URI baseUri, Path logFile, HttpClient http) {
        this.process = process;
        this.baseUri = baseUri;
        this.logFile = logFile;
        this.http = http;
    }

    /**
     * Locates the {@code prometheus} executable.
     *
     * @return the value of {@value #BINARY_ENV} when that is set (as given, so a wrong setting
     *     fails loudly in {@link #start} instead of silently skipping), else the first executable
     *     {@code prometheus} on {@code PATH}, else {@code /usr/bin/prometheus} if it is executable,
     *     else empty
     */
    public static Optional<Path> findBinary() {
        String override = System.getenv(BINARY_ENV);
        if (override != null && !override.isBlank()) {
            return Optional.of(Path.of(override.strip()));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, "prometheus");
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return isExecutableFile(DEFAULT_BINARY) ? Optional.of(DEFAULT_BINARY) : Optional.empty();
    }

    /**
     * Writes {@code prometheus.yml} into {@code workDir}, starts Prometheus on a free port of
     * 127.0.0.1 with its data and log ({@code prometheus.log}) under {@code workDir}, and waits
     * until it reports ready.
     *
     * @param binary the {@code prometheus} executable, e.g. from {@link #findBinary()}
     * @param scrapeTarget {@code host:port} of the service to scrape, e.g. {@code 127.0.0.1:8081}
     * @param metricsPath the HTTP path of the metrics endpoint, e.g. {@code /q/metrics}
     * @param scrapeInterval the global scrape and evaluation interval
     * @param workDir a directory owned by the caller (created if missing); it is left in place
     * @return the running server; close it to stop the process
     * @throws IllegalStateException if Prometheus exits or is not ready within 30 s; the message
     *     holds the tail of its log
     */
    public static PrometheusServer start(
            Path binary, String scrapeTarget, String metricsPath, Duration scrapeInterval, Path workDir) {
        requireConfigValue("scrapeTarget", scrapeTarget);
        requireConfigValue("metricsPath", metricsPath);
        if (!metricsPath.startsWith("/")) {
            throw new IllegalArgumentException("metricsPath must start with '/': " + metricsPath);
        }
        if (scrapeInterval.toMillis() < 1) {
            throw new IllegalArgumentException("scrapeInterval must be at least 1 ms: " + scrapeInterval);
        }
        Path config = workDir.resolve("prometheus.yml");
        Path logFile = workDir.resolve("prometheus.log");
        try {
            Files.createDirectories(workDir);
            Files.writeString(config, configYaml(scrapeTarget, metricsPath, scrapeInterval));
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Prometheus work directory " + workDir, e);
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        // The free port is released before Prometheus binds it, so another process may take it
        // in between; a start that fails for that reason is retried on a new port.
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            long startedAt = System.nanoTime();
            Process process = launch(binary, config, workDir, port, logFile);
            PrometheusServer server = new PrometheusServer(
                    process, URI.create("http://127.0.0.1:" + port), logFile, http);
            String failure = server.awaitReady();
            if (failure == null) {
                LOG.fine(() -> String.format("Prometheus ready on port %d after %d ms", port,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt)));
                return server;
            }
            server.close();
            String tail = server.logTail();
            if (attempt < START_ATTEMPTS && tail.contains("address already in use")) {
                LOG.fine(() -> "Prometheus port " + port + " was taken, retrying on another port");
                continue;
            }
            throw new IllegalStateException(
                    "Prometheus did not start: " + failure + "; tail of " + logFile + ":\n" + tail);
        }
    }

    /** Returns the root URI of the Prometheus HTTP API, e.g. {@code http://127.0.0.1:40123}. */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * Runs an instant PromQL query.
     *
     * @return the {@code data.result} node (an array for vector results)
     * @throws IllegalStateException if the response status is not {@code success}; the message
     *     holds the response body
     */
    public JsonNode query(String promql) {
        String path = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        return getData(path, "query " + promql).path("result");
    }

    /**
     * Polls {@link #query} every 500 ms until it returns a non-empty result. Prometheus applies
     * new scrape targets about 5 s after start, so allow at least 15 s for a first sample.
     *
     * @return the first non-empty {@code data.result} array
     * @throws AssertionError on timeout, naming the query, its last result, and the health and last
     *     error of the scrape targets
     */
    public JsonNode awaitResult(String promql, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode result = query(promql);
            if (result.size() > 0) {
                return result;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("PromQL query " + promql + " returned no result within "
                        + timeout + "; last result: " + result + "; scrape targets: " + describeTargets());
            }
            sleep(POLL_INTERVAL);
        }
    }

    /** Returns the {@code data.activeTargets} node of {@code GET /api/v1/targets}. */
    public JsonNode targets() {
        return getData("/api/v1/targets", "targets").path("activeTargets");
    }

    /**
     * Stops Prometheus: SIGTERM, up to 10 s to exit, then a forced kill. Calling it again does
     * nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning("Prometheus did not exit within " + STOP_TIMEOUT + ", killing it");
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String configYaml(String target, String metricsPath, Duration interval) {
        String every = promDuration(interval);
        return "global:\n"
                + "  scrape_interval: " + every + "\n"
                + "  evaluation_interval: " + every + "\n"
                + "scrape_configs:\n"
                + "  - job_name: \"" + JOB + "\"\n"
                + "    metrics_path: \"" + metricsPath + "\"\n"
                + "    static_configs:\n"
                + "      - targets: [\"" + target + "\"]\n";
    }

    /** Formats a duration the way Prometheus parses it, e.g. {@code 1s} or {@code 1500ms}. */
    private static String promDuration(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    private static void requireConfigValue(String name, String value) {
        if (value == null || value.isBlank() || value.chars().anyMatch(
                c -> Character.isWhitespace(c) || c == '"' || c == '\\' || Character.isISOControl(c))) {
            throw new IllegalArgumentException(name + " must be non-blank, without spaces or quotes: " + value);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    private static Process launch(Path binary, Path config, Path workDir, int port, Path logFile) {
        List<String> command = List.of(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn");
        try {
            return new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        }
    }

    /** Waits for {@code GET /-/ready} to answer 200; returns null when ready, else why not. */
    private String awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve("/-/ready"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        String last = "no answer yet";
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                return "process exited with code " + process.exitValue();
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return null;
                }
                last = "HTTP " + response.statusCode() + " " + response.body().strip();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while waiting";
            }
            sleep(Duration.ofMillis(100));
        }
        return "not ready within " + READY_TIMEOUT + " (last answer to /-/ready: " + last + ")";
    }

    /** GETs an API path and returns its {@code data} node after checking {@code status}. */
    private JsonNode getData(String pathAndQuery, String what) {
        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve(pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus request failed: " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during Prometheus request: " + what, e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Prometheus " + what + " answered HTTP "
                    + response.statusCode() + " with non-JSON body: " + response.body(), e);
        }
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("Prometheus " + what + " failed (HTTP "
                    + response.statusCode() + "): " + response.body());
        }
        return body.path("data");
    }

    private String describeTargets() {
        try {
            JsonNode targets = targets();
            if (targets.size() == 0) {
                return "none active";
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode t : targets) {
                parts.add(t.path("scrapeUrl").asText() + " health=" + t.path("health").asText()
                        + " lastError=\"" + t.path("lastError").asText() + "\""
                        + " lastScrape=" + t.path("lastScrape").asText());
            }
            return String.join("; ", parts);
        } catch (RuntimeException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private String logTail() {
        try {
            List<String> lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
