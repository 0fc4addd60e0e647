package io.dtm.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtm.imports.Datasets;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Replays how the demo publications arrived, into a running service that holds none of them yet: the other demo
 * events first (the RCEP dates every model row needs), then for each year Y of a range every publication as it
 * stood at the end of Y ({@link ReleaseCut}: the same file without later figures, vintage the same day of Y + 1,
 * imported with {@code derivedFrom} = the real release's vintage), then the real releases. After each round it prints
 * each model's estimates and the event that moved them last, so that the boards and {@code /api/v1/models/<model>/history}
 * can be read release by release. {@code deploy/local/replay.sh} runs it.
 */
public final class Replay {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern TOPIC_AS_NAMED = java.util.regex.Pattern.compile(
            "topic=\"[^\"]*[.-][^\"]*\"");
    /** How long the models must keep the same snapshot before a round is reported. */
    private static final long SETTLE_MS = 3000;
    private static final long SETTLE_TIMEOUT_MS = 600_000;

    private final DemoPublisher publisher;
    private final Datasets datasets = Datasets.load(DemoPublications.DATASETS);

    Replay(DemoPublisher publisher) {
        this.publisher = publisher;
    }

    void run(int from, int to, long pauseMs) throws IOException, InterruptedException {
        HttpResponse<String> existing = publisher.get("/api/v1/models/drivers");
        if (existing.statusCode() == 200) {
            throw new IllegalStateException("the service already has a drivers model estimate: later releases would "
                    + "make every earlier one stale. Replay into an empty stack (deploy/local/run.sh --no-demo with "
                    + "fresh data: DTM_KAFKA_DIR and DTM_STATE_DIR pointing at empty folders)");
        }
        publisher.publishEvents();
        Map<DemoPublications.Publication, LocalDate> releases = new LinkedHashMap<>();
        Map<DemoPublications.Publication, byte[]> files = new LinkedHashMap<>();
        for (DemoPublications.Publication p : DemoPublications.all()) {
            releases.put(p, p.vintage() != null ? p.vintage() : DemoPublications.read(p).report().vintage());
            try (InputStream in = p.open()) {
                files.put(p, in.readAllBytes());
            }
        }
        for (int year = from; year <= to; year++) {
            int imported = 0;
            for (Map.Entry<DemoPublications.Publication, LocalDate> e : releases.entrySet()) {
                DemoPublications.Publication p = e.getKey();
                LocalDate release = e.getValue();
                LocalDate vintage = ReleaseCut.vintage(release, year);
                if (!vintage.isBefore(release)) {
                    continue; // the real release is the first of that year
                }
                Datasets.Dataset dataset = datasets.dataset(p.dataset()).orElseThrow();
                byte[] cut = ReleaseCut.cut(dataset, files.get(p), year, vintage);
                publisher.load(p.file() + " as of " + year, cut, p.dataset(), p.vintage() == null ? null : vintage,
                        release);
                imported++;
            }
            if (imported > 0) {
                report("the releases of " + (year + 1) + " (each publication cut at " + year + ")");
                Thread.sleep(pauseMs);
            }
        }
        for (DemoPublications.Publication p : releases.keySet()) {
            publisher.load(p);
        }
        report("the real releases");
    }

    /**
     * Waits until the service has read everything (no consumer lag of its stream threads) and no model has moved for
     * {@link #SETTLE_MS}, then prints each model's estimates and what moved them last.
     */
    private void report(String round) throws IOException, InterruptedException {
        JsonNode models = JSON.readTree(publisher.get("/api/v1/models").body());
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        long stableSince = System.currentTimeMillis();
        long deadline = stableSince + SETTLE_TIMEOUT_MS;
        while (true) {
            boolean moved = false;
            for (JsonNode m : models) {
                String name = m.path("model").asText();
                HttpResponse<String> answer = publisher.get("/api/v1/models/" + name);
                JsonNode snapshot = answer.statusCode() == 200 ? JSON.readTree(answer.body()) : null;
                JsonNode before = latest.put(name, snapshot);
                moved |= snapshot != null && (before == null || before.path("seq").asLong() != snapshot.path("seq")
                        .asLong());
            }
            long now = System.currentTimeMillis();
            if (moved || lag() > 0) {
                stableSince = now;
            }
            if (now - stableSince >= SETTLE_MS || now > deadline) {
                break;
            }
            Thread.sleep(500);
        }
        System.out.println();
        System.out.println("== after " + round);
        latest.forEach((name, snapshot) -> System.out.println(describe(name, snapshot)));
    }

    /**
     * The records the service's stream threads have yet to read, from its Prometheus metrics: the series of the
     * service's topics as Kafka names them (with dots or hyphens); the copies under names with underscores stop
     * being updated and are left out.
     */
    private double lag() throws IOException, InterruptedException {
        double lag = 0;
        for (String line : publisher.get("/q/metrics").body().split("\n")) {
            if (line.startsWith("kafka_consumer_fetch_manager_records_lag{") && line.contains("StreamThread")
                    && TOPIC_AS_NAMED.matcher(line).find()) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                lag += Double.isNaN(value) ? 0 : value;
            }
        }
        return lag;
    }

    /** One model's snapshot in a few lines: each estimate's terms with clustered p, and the trigger. */
    static String describe(String model, JsonNode snapshot) {
        if (snapshot == null) {
            return model + ": no estimate yet";
        }
        StringBuilder out = new StringBuilder(model).append(" (snapshot ").append(snapshot.path("seq").asLong())
                .append(")");
        for (JsonNode e : snapshot.path("estimates")) {
            out.append("\n  ").append(String.format(Locale.ROOT, "%-8s", e.path("estimate").asText()));
            if (!"OK".equals(e.path("status").asText())) {
                out.append(e.path("status").asText()).append(": ").append(e.path("reason").asText());
                continue;
            }
            out.append(e.has("firstYear") ? e.path("firstYear").asInt() + "–" + e.path("lastYear").asInt()
                    : "every year").append(" N=")
                    .append(e.path("observations").asInt()).append(" G=").append(e.path("entities").asInt())
                    .append(':');
            for (JsonNode t : e.path("terms")) {
                out.append(String.format(Locale.ROOT, "  %s %.3f (p %.3f)", t.path("term").asText(),
                        t.path("coefficient").asDouble(), t.path("clustered").path("p").asDouble()));
            }
        }
        JsonNode t = snapshot.path("trigger");
        out.append("\n  moved last by ").append(t.path("id").asText()).append(" (series ")
                .append(t.path("series").asText()).append(", vintage ").append(t.path("vintage").asText())
                .append(", row ").append(t.path("entity").asText()).append(' ').append(t.path("year").asInt())
                .append(')');
        return out.toString();
    }

    /** {@code Replay <base URL> <from year> <to year> [pause seconds]}; the API key in {@code DTM_API_KEY}. */
    public static void main(String[] args) throws Exception {
        String key = System.getenv("DTM_API_KEY");
        if (args.length < 3 || args.length > 4 || key == null || key.isBlank()) {
            System.err.println("usage: DTM_API_KEY=<key> Replay <base URL> <from year> <to year> [pause seconds]");
            System.exit(2);
        }
        int from = Integer.parseInt(args[1]);
        int to = Integer.parseInt(args[2]);
        long pause = args.length == 4 ? (long) (Double.parseDouble(args[3]) * 1000) : 5000;
        try {
            new Replay(new DemoPublisher(args[0], key)).run(from, to, pause);
        } catch (IllegalStateException e) {
            System.err.println("replay: " + e.getMessage());
            System.exit(1);
        }
    }
}
