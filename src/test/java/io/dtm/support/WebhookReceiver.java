package io.dtm.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A real HTTP receiver on a free port of 127.0.0.1 that records every request (headers and body) and answers
 * with the statuses queued by the test (200 once the queue is empty).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received, with the status it was answered. */
    public record Request(String path, Map<String, List<String>> headers, String body, int answered) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

    public WebhookReceiver(int... firstStatuses) {
        for (int s : firstStatuses) {
            statuses.add(s);
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Integer queued = statuses.poll();
            int status = queued == null ? 200 : queued;
            requests.add(new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                    new String(body, StandardCharsets.UTF_8), status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on every request is answered 200 (the receiver is back). */
    public void clearQueuedStatuses() {
        statuses.clear();
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** Waits until {@code count} requests match, and returns them. */
    public List<Request> await(Predicate<Request> matches, int count, Duration timeout) {
        Awaitility.await().atMost(timeout).until(() -> requests.stream().filter(matches).count() >= count);
        return requests.stream().filter(matches).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
