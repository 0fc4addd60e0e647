package io.dtm.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the demo data into a running service as a user and a feed do, with an API key of the {@code publisher}
 * role: first each real publication of {@link DemoPublications} through {@code POST /api/v1/imports} (its dataset
 * and vintage named, as {@code deploy/local/import.sh} sends a file), waiting for each import to finish; then the
 * events of {@link DemoDataSet} (Table 1, RCEP dates, the paper's figures, the aggregates, the series still
 * synthetic) in batches to {@code POST /api/v1/events}. {@code deploy/local/run.sh} runs it once the service is ready:
 * {@code java -cp <app and its libraries> io.dtm.demo.DemoPublisher <base URL>}, with the key in
 * {@code DTM_API_KEY}.
 */
public final class DemoPublisher {

    /** Events per request, well within the service's batch and body limits. */
    static final int BATCH_EVENTS = 500;
    static final int BATCH_BYTES = 512 * 1024;
    private static final int ATTEMPTS = 60;

    /** The longest wait for one import to finish. */
    private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final URI events;
    private final String apiKey;

    DemoPublisher(String baseUrl, String apiKey) {
        this.base = baseUrl.replaceAll("/+$", "");
        this.events = URI.create(base + "/api/v1/events");
        this.apiKey = apiKey;
    }

    /** The demo events published after the imports, in the order they are published. */
    static ArrayNode events() {
        return DemoDataSet.events();
    }

    /** The demo events cut into batches of at most {@link #BATCH_EVENTS} events and about {@link #BATCH_BYTES}. */
    static List<String> batches(ArrayNode events) {
        List<String> batches = new ArrayList<>();
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        int bytes = 0;
        for (JsonNode event : events) {
            int size = event.toString().length();
            if (!batch.isEmpty() && (batch.size() == BATCH_EVENTS || bytes + size > BATCH_BYTES)) {
                batches.add(batch.toString());
                batch = JsonNodeFactory.instance.arrayNode();
                bytes = 0;
            }
            batch.add(event);
            bytes += size + 1;
        }
        if (!batch.isEmpty()) {
            batches.add(batch.toString());
        }
        return batches;
    }

    /**
     * Imports every publication, then publishes every batch of events; a 503 (Kafka not ready yet) or a refused
     * connection is retried each second.
     *
     * @return the events published (imported figures and the others)
     */
    long publish() throws IOException, InterruptedException {
        long published = 0;
        for (DemoPublications.Publication publication : DemoPublications.all()) {
            published += load(publication);
        }
        return published + publishEvents();
    }

    /** Publishes the demo events of {@link #events()}; returns how many. */
    long publishEvents() throws IOException, InterruptedException {
        ArrayNode all = events();
        for (String batch : batches(all)) {
            send(events, batch, "application/cloudevents-batch+json");
        }
        System.out.println("demo data: " + all.size() + " events (Table 1, RCEP dates, the paper's figures, "
                + "aggregates, synthetic series) to " + events);
        return all.size();
    }

    /** Imports one publication as released and waits for its end; the import's report is printed. */
    long load(DemoPublications.Publication publication) throws IOException, InterruptedException {
        byte[] file;
        try (var in = publication.open()) {
            file = in.readAllBytes();
        }
        return load(publication.file(), file, publication.dataset(), publication.vintage(), null);
    }

    /**
     * Imports {@code file} of {@code dataset} and waits for its end; the import's report is printed.
     *
     * @param vintage     the vintage to name, or {@code null} where the file carries its own
     * @param derivedFrom the vintage of the later release the file was cut from, or {@code null}
     * @return the events it published
     */
    long load(String name, byte[] file, String dataset, LocalDate vintage, LocalDate derivedFrom)
            throws IOException, InterruptedException {
        String query = "?dataset=" + dataset + (vintage == null ? "" : "&vintage=" + vintage)
                + (derivedFrom == null ? "" : "&derivedFrom=" + derivedFrom);
        HttpResponse<String> accepted = send(URI.create(base + "/api/v1/imports" + query), file,
                "application/octet-stream");
        String id = JSON.readTree(accepted.body()).path("id").asText();
        URI status = URI.create(base + "/api/v1/imports/" + id);
        long deadline = System.nanoTime() + IMPORT_TIMEOUT.toNanos();
        while (true) {
            HttpRequest get = HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + apiKey).GET().build();
            HttpResponse<String> answer = http.send(get, HttpResponse.BodyHandlers.ofString());
            JsonNode report = JSON.readTree(answer.body());
            String state = report.path("state").asText();
            if (answer.statusCode() == 200 && "done".equals(state)) {
                JsonNode rows = report.path("rows");
                System.out.printf("demo data: %s (dataset %s, vintage %s%s): %d rows read, %d published, "
                        + "%d missing, %d skipped, %d rejected%n", name, report.path("dataset").asText(),
                        report.path("vintage").asText(), derivedFrom == null ? "" : ", cut from " + derivedFrom, rows.path("read").asLong(), rows.path("published").asLong(),
                        rows.path("missing").asLong(), rows.path("skipped").asLong(), rows.path("rejected").asLong());
                return rows.path("published").asLong();
            }
            if (answer.statusCode() != 200 || "failed".equals(state) || System.nanoTime() > deadline) {
                throw new IOException("import of " + name + " did not finish: "
                        + answer.statusCode() + " " + answer.body());
            }
            Thread.sleep(250);
        }
    }

    /** {@code GET} of a path of the service (e.g. {@code /api/v1/models/drivers}), with the key. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest get = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey).GET().build();
        return http.send(get, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(URI uri, String body, String contentType)
            throws IOException, InterruptedException {
        return send(uri, body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    private HttpResponse<String> send(URI uri, byte[] body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    return response;
                }
                if (response.statusCode() != 503 || attempt == ATTEMPTS) {
                    throw new IOException("POST " + uri + " answered " + response.statusCode() + ": "
                            + response.body());
                }
            } catch (java.net.ConnectException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
            Thread.sleep(1000);
        }
    }

    /** {@code DemoPublisher <base URL>}; the API key in {@code DTM_API_KEY}. */
    public static void main(String[] args) throws Exception {
        String key = System.getenv("DTM_API_KEY");
        if (args.length != 1 || key == null || key.isBlank()) {
            System.err.println("usage: DTM_API_KEY=<publisher key> DemoPublisher <base URL, e.g. http://127.0.0.1:8080>");
            System.exit(2);
        }
        long count = new DemoPublisher(args[0], key).publish();
        System.out.println("demo data: " + count + " events published to " + args[0]);
    }
}
