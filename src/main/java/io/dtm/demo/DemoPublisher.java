package io.dtm.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes the demo data set ({@link DemoDataSet} and the drivers-model panel of {@link ModelDemoData}) to a
 * running service as a feed does: batches to {@code POST /api/v1/events} with an API key of the {@code publisher}
 * role. {@code deploy/local/run.sh} runs it once the service is ready:
 * {@code java -cp <app and its libraries> io.dtm.demo.DemoPublisher <base URL>}, with the key in
 * {@code DTM_API_KEY}.
 */
public final class DemoPublisher {

    /** Events per request, well within the service's batch and body limits. */
    static final int BATCH_EVENTS = 500;
    static final int BATCH_BYTES = 512 * 1024;
    private static final int ATTEMPTS = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI events;
    private final String apiKey;

    DemoPublisher(String baseUrl, String apiKey) {
        this.events = URI.create(baseUrl.replaceAll("/+$", "") + "/api/v1/events");
        this.apiKey = apiKey;
    }

    /** Every demo event, in the order they are published. */
    static ArrayNode events() {
        ArrayNode events = DemoDataSet.events();
        events.addAll(ModelDemoData.events(ModelDemoData.SEED));
        return events;
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

    /** Publishes every batch; a 503 (Kafka not ready yet) or a refused connection is retried each second. */
    int publish() throws IOException, InterruptedException {
        ArrayNode all = events();
        for (String batch : batches(all)) {
            send(batch);
        }
        return all.size();
    }

    private void send(String batch) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/cloudevents-batch+json")
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(batch, StandardCharsets.UTF_8)).build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    return;
                }
                if (response.statusCode() != 503 || attempt == ATTEMPTS) {
                    throw new IOException("POST " + events + " answered " + response.statusCode() + ": "
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
        int count = new DemoPublisher(args[0], key).publish();
        System.out.println("demo data: " + count + " events published to " + args[0]);
    }
}
