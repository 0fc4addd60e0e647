package io.dtm.imports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.metrics.SourceMetrics;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Fetches the sources of {@code dtm.sources} on their intervals (one Quarkus scheduler job each, on instances that run
 * the ingest role) and imports an answer through {@link ImportService#importAndWait} when its vintage changed:
 * <ul>
 * <li>a World Bank API v2 answer is followed over all its pages ({@code page=N}) and imported as one publication;
 * its vintage is {@code lastupdated}; an error reported with status 200 is a failure that is not retried</li>
 * <li>an SDMX-CSV answer carries no vintage: it is the date (UTC) of the answer's {@code Last-Modified}, and an
 * answer without one is refused</li>
 * </ul>
 * Requests are conditional ({@code If-None-Match}, {@code If-Modified-Since} from the last answer imported or found
 * unchanged); 304 means nothing to do. The last vintage imported and the validators are kept in memory per source:
 * after a restart the first fetch imports again, which the ingest's deduplication makes harmless. A failed attempt
 * is counted and retried with exponential backoff (SmallRye Fault Tolerance); once the retries are spent, the next
 * scheduled run tries again. The URLs come from the operator's configuration, never from API users, so they are not
 * put through the guard against server-side request forgery that the webhook targets go through.
 */
@ApplicationScoped
public class Sources {

    private static final Logger LOG = Logger.getLogger(Sources.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A failure that retrying cannot mend (an error answered with status 200, a refused import). */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** A failure worth retrying (network, status). */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    /** What a fetch did. */
    public enum Outcome { IMPORTED, NOT_MODIFIED, SAME_VINTAGE }

    private final SourcesConfig config;
    private final ImportService imports;
    private final SourceMetrics metrics;
    private final Scheduler scheduler;
    private final DtmConfig dtm;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Map<String, TypedGuard<Outcome>> guards = new ConcurrentHashMap<>();

    /** What is remembered of a source between fetches (in memory). */
    private static final class State {
        volatile String etag;
        volatile String lastModified;
        volatile LocalDate vintage;
    }

    Sources(SourcesConfig config, ImportService imports, MeterRegistry registry, Scheduler scheduler, DtmConfig dtm,
            Clock clock) {
        this.config = config;
        this.imports = imports;
        this.scheduler = scheduler;
        this.dtm = dtm;
        this.clock = clock;
        Map<String, java.time.Duration> staleAfter = new java.util.TreeMap<>();
        config.sources().forEach((name, source) -> staleAfter.put(name, source.staleAfter()));
        this.metrics = new SourceMetrics(registry, staleAfter);
        config.sources().forEach((name, source) -> {
            Datasets.Dataset dataset = imports.dataset(source.dataset()).orElseThrow(() -> new IllegalStateException(
                    "dtm.sources." + name + ".dataset: no dataset '" + source.dataset() + "' in datasets.yaml"));
            Datasets.Format format = dataset.formatOf();
            if (format != Datasets.Format.WB_API_JSON && format != Datasets.Format.SDMX_CSV) {
                throw new IllegalStateException("dtm.sources." + name + ".dataset: " + dataset.id() + " is "
                        + format.label() + "; a source answers World Bank API JSON or SDMX-CSV");
            }
            states.put(name, new State());
            guards.put(name, TypedGuard.create(Outcome.class).withRetry().maxRetries(source.maxRetries())
                    .delay(source.initialBackoff().toMillis(), ChronoUnit.MILLIS).jitter(0, ChronoUnit.MILLIS)
                    .maxDuration((source.maxRetries() + 1L) * (source.timeout().toMillis() * 10
                            + source.importTimeout().toMillis() + source.maxBackoff().toMillis()), ChronoUnit.MILLIS).abortOn(List.of(Refused.class))
                    .withExponentialBackoff().factor(2).maxDelay(source.maxBackoff().toMillis(), ChronoUnit.MILLIS)
                    .done().done().build());
        });
    }

    void onStart(@Observes StartupEvent event) {
        if (!dtm.runs(Role.INGEST)) {
            return;
        }
        config.sources().forEach((name, source) -> scheduler.newJob("dtm-source-" + name)
                .setInterval(source.schedule().toString()).setDelayed(source.initialDelay().toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> {
                    try {
                        fetch(name);
                    } catch (RuntimeException e) {
                        LOG.warnf("source %s: %s", name, e.getMessage());
                    }
                }).schedule());
    }

    /**
     * Fetches source {@code name} now, with its retries, and imports its answer if its vintage changed.
     *
     * @throws Refused or {@link Failed} when the last attempt failed (each attempt is counted)
     */
    public synchronized Outcome fetch(String name) {
        SourcesConfig.Source source = config.sources().get(name);
        if (source == null) {
            throw new IllegalArgumentException("no source '" + name + "' in dtm.sources");
        }
        try {
            Outcome outcome = guards.get(name).call(() -> {
                try {
                    return attempt(name, source);
                } catch (Exception e) {
                    metrics.failed(name);
                    LOG.warnf("source %s: fetch failed: %s", name, e.getMessage());
                    throw e;
                }
            });
            metrics.succeeded(name, clock.instant());
            return outcome;
        } catch (Refused | Failed e) {
            throw e;
        } catch (Exception e) {
            throw new Failed(e.toString());
        }
    }

    private Outcome attempt(String name, SourcesConfig.Source source) throws Exception {
        State state = states.get(name);
        Datasets.Dataset dataset = imports.dataset(source.dataset()).orElseThrow();
        HttpRequest.Builder first = request(source.url(), source);
        if (state.etag != null) {
            first.header("If-None-Match", state.etag);
        }
        if (state.lastModified != null) {
            first.header("If-Modified-Since", state.lastModified);
        }
        List<Path> files = new ArrayList<>();
        try {
            HttpResponse<Path> answer = get(first.build(), files);
            if (answer.statusCode() == 304) {
                return Outcome.NOT_MODIFIED;
            }
            Optional<String> etag = answer.headers().firstValue("ETag");
            Optional<String> modified = answer.headers().firstValue("Last-Modified");
            LocalDate vintage;
            Path body;
            if (dataset.formatOf() == Datasets.Format.SDMX_CSV) {
                vintage = modified.map(Sources::httpDate).orElseThrow(() -> new Refused("the SDMX-CSV answer has "
                        + "no Last-Modified header, and an SDMX-CSV file carries no vintage of its own"));
                body = answer.body();
            } else {
                body = Files.createTempFile("dtm-source-", ".json");
                files.add(body);
                vintage = worldBank(source, answer.body(), body, files);
            }
            if (vintage.equals(state.vintage)) {
                remember(state, etag, modified);
                return Outcome.SAME_VINTAGE;
            }
            ImportService.Status status;
            try (InputStream in = Files.newInputStream(body)) {
                status = imports.importAndWait(in, dataset.id(),
                        dataset.formatOf() == Datasets.Format.SDMX_CSV ? vintage : null, source.importTimeout());
            } catch (ImportService.Refused | ImportService.TooLarge e) {
                throw new Refused("the import was refused: " + e.getMessage());
            }
            if (!"done".equals(status.state())) {
                throw new Refused("import " + status.id() + " " + status.state() + ": " + status.error());
            }
            state.vintage = vintage;
            remember(state, etag, modified);
            LOG.infof("source %s: imported vintage %s (import %s)", name, vintage, status.id());
            return Outcome.IMPORTED;
        } finally {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void remember(State state, Optional<String> etag, Optional<String> modified) {
        state.etag = etag.orElse(null);
        state.lastModified = modified.orElse(null);
    }

    /**
     * Copies the data of every page of a World Bank answer, the first already in {@code page1}, into {@code out} as
     * one answer {@code [meta, data]} of a single page, and returns its vintage ({@code lastupdated}).
     */
    private LocalDate worldBank(SourcesConfig.Source source, Path page1, Path out, List<Path> files)
            throws IOException, InterruptedException {
        try (OutputStream os = Files.newOutputStream(out); JsonGenerator gen = JSON.getFactory().createGenerator(os)) {
            gen.writeStartArray();
            ObjectNode meta = copyPage(page1, gen, null);
            int pages = meta.path("pages").asInt(1);
            String updated = meta.path("lastupdated").asText("");
            for (int page = 2; page <= pages; page++) {
                HttpResponse<Path> answer = get(request(withPage(source.url(), page), source).build(), files);
                if (answer.statusCode() != 200) {
                    throw new Failed("page " + page + ": status " + answer.statusCode());
                }
                ObjectNode next = copyPage(answer.body(), gen, meta);
                if (!updated.equals(next.path("lastupdated").asText(""))) {
                    throw new Failed("page " + page + " is of another vintage (lastupdated "
                            + Csv.clip(next.path("lastupdated").asText("")) + ", page 1 " + updated + ")");
                }
            }
            gen.writeEndArray();
            gen.writeEndArray();
            LocalDate vintage = Csv.date(updated);
            if (vintage == null) {
                throw new Refused("the World Bank answer has no lastupdated date (was '" + Csv.clip(updated) + "')");
            }
            return vintage;
        }
    }

    /**
     * Reads one page; for the first ({@code first == null}) writes its meta, as a single page, and opens the data
     * array; then copies its data items.
     */
    private static ObjectNode copyPage(Path page, JsonGenerator gen, ObjectNode first) throws IOException {
        try (JsonParser parser = JSON.getFactory().createParser(page.toFile())) {
            if (parser.nextToken() != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Failed("not a World Bank API v2 answer: it must be a JSON array [meta, data]");
            }
            JsonNode node = JSON.readTree(parser);
            if (node.has("message")) {
                List<String> texts = new ArrayList<>();
                node.get("message").forEach(m -> texts.add((m.path("id").asText("") + " " + m.path("key").asText("")
                        + ": " + m.path("value").asText("")).trim()));
                throw new Refused("the World Bank API answered with an error: " + Csv.clip(String.join("; ", texts)));
            }
            ObjectNode meta = (ObjectNode) node;
            if (first == null) {
                ObjectNode single = meta.deepCopy();
                single.put("page", 1).put("pages", 1);
                gen.writeTree(single);
                gen.writeStartArray();
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    gen.copyCurrentStructure(parser);
                }
            } else if (token != JsonToken.VALUE_NULL && token != JsonToken.END_ARRAY) {
                throw new Failed("not a World Bank API v2 answer: its second element must be the data array");
            }
            return meta;
        }
    }

    private HttpResponse<Path> get(HttpRequest request, List<Path> files) throws IOException, InterruptedException {
        Path file = Files.createTempFile("dtm-source-", ".part");
        files.add(file);
        HttpResponse<Path> answer = http.send(request, HttpResponse.BodyHandlers.ofFile(file));
        if (answer.statusCode() != 200 && answer.statusCode() != 304) {
            throw new Failed(request.uri().getHost() + " answered " + answer.statusCode());
        }
        return answer;
    }

    private static HttpRequest.Builder request(URI uri, SourcesConfig.Source source) {
        return HttpRequest.newBuilder(uri).timeout(source.timeout()).GET();
    }

    static URI withPage(URI url, int page) {
        String u = url.toString();
        return URI.create(u + (url.getRawQuery() == null ? "?" : "&") + "page=" + page);
    }

    private static LocalDate httpDate(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).withZoneSameInstant(ZoneOffset.UTC)
                    .toLocalDate();
        } catch (DateTimeParseException e) {
            throw new Refused("Last-Modified '" + Csv.clip(value) + "' is not an HTTP date");
        }
    }
}
