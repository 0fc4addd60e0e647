package io.dtm.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dtm.api.Problems;
import io.dtm.events.Feed;
import io.dtm.events.RejectReason;
import io.dtm.metrics.DtmMetrics;
import io.dtm.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * Takes CloudEvents over HTTP (one structured event, a batch, or binary mode), validates every event, and either
 * publishes all of them to their feed topics in one transaction or none (rejects go to the dead-letter topic).
 * Accepted events are counted by the topology when it reads them; rejected ones are counted here.
 */
@ApplicationScoped
public class IngestService {

    /** Content type of a batch of structured-mode events (a JSON array). */
    public static final String BATCH = "application/cloudevents-batch+json";
    static final String HTTP_SOURCE_TOPIC = "http";
    private static final Logger LOG = Logger.getLogger(IngestService.class);
    /** Parses a batch; a key given twice in one object is refused, as the decoder refuses it in one event. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final FeedPublisher publisher;
    private final DtmMetrics metrics;
    private final IngestConfig config;
    private final Clock clock;

    IngestService(FeedPublisher publisher, DtmMetrics metrics, IngestConfig config, Clock clock) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    /** A batch of more events than {@code dtm.ingest.max-batch-events}: nothing of it is published. */
    public static final class TooManyEventsException extends Exception {

        TooManyEventsException(int events, int limit) {
            super("the batch holds " + events + " events, more than " + limit + " (dtm.ingest.max-batch-events); "
                    + "split it into smaller batches");
        }
    }

    /** One event of a request in Kafka form, with where it stood in the request (a JSON pointer prefix). */
    record Item(Headers headers, byte[] value, String pointer) {
    }

    /** One bad part of a request, located by JSON pointer into the body or by header name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String pointer, String header, String detail, String reason) {
    }

    /** An accepted event. */
    public record AcceptedEvent(String source, String id, String type, String topic) {
    }

    /** The outcome: accepted events (published), or problems of {@code rejected} events (nothing published). */
    public record Outcome(List<AcceptedEvent> accepted, List<Problem> problems, int events, int rejected) {

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Validates and publishes the events of one request.
     *
     * @param headers request headers with lower-case names
     */
    public Outcome submit(String contentType, Map<String, String> headers, byte[] body)
            throws KafkaUnavailableException, EventTooLargeException, TooManyEventsException {
        List<Item> items = new ArrayList<>();
        String media = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (media.equals(BATCH)) {
            Problem unreadable = splitBatch(body, items, config.maxBatchEvents());
            if (unreadable != null) {
                reject(List.of(new Item(structuredHeaders(), body, "")), List.of(new EventDecoder.Rejected(
                        Feed.UNKNOWN_LABEL, RejectReason.MALFORMED, EventDecoder.Mode.STRUCTURED,
                        List.of(FieldError.attribute("event", unreadable.detail())))));
                return new Outcome(List.of(), List.of(unreadable), 1, 1);
            }
        } else if (headers.containsKey("ce-specversion") && !media.equals(EventDecoder.STRUCTURED)) {
            items.add(new Item(binaryHeaders(contentType, headers), body, ""));
        } else {
            // with whatever ce-* headers came along, which the decoder refuses when they contradict the event
            Headers structured = structuredHeaders();
            ceHeaders(headers).forEach(structured::add);
            items.add(new Item(structured, body, ""));
        }

        List<Problem> problems = new ArrayList<>();
        List<Item> bad = new ArrayList<>();
        List<EventDecoder.Rejected> badResults = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<AcceptedEvent> accepted = new ArrayList<>();
        LocalDate today = LocalDate.now(clock);
        for (Item item : items) {
            EventDecoder.Decoded decoded = EventDecoder.decode(item.headers(), item.value(), null, today);
            if (decoded instanceof EventDecoder.Accepted ok) {
                String topic = Topics.of(ok.feed()).name();
                var obs = ok.observation();
                // keyed by the series: the default partitioner then puts it on its series' partition, where the
                // vintage step takes it without a repartition (ParseProcessor)
                byte[] key = obs.series().toString().getBytes(StandardCharsets.UTF_8);
                records.add(new ProducerRecord<>(topic, null, key, item.value(), item.headers()));
                accepted.add(new AcceptedEvent(obs.source(), obs.id(), ok.type(), topic));
            } else {
                EventDecoder.Rejected rejected = (EventDecoder.Rejected) decoded;
                bad.add(item);
                badResults.add(rejected);
                rejected.errors().forEach(e -> problems.add(problem(item, rejected, e)));
            }
        }
        if (!bad.isEmpty()) {
            reject(bad, badResults);
            return new Outcome(List.of(), problems, items.size(), bad.size());
        }
        if (!records.isEmpty()) {
            publisher.publish(records);
        }
        return new Outcome(accepted, List.of(), items.size(), 0);
    }

    /** Counts the rejects and copies them to the dead-letter topic; the client already has its answer. */
    private void reject(List<Item> items, List<EventDecoder.Rejected> results) {
        List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            EventDecoder.Rejected rejected = results.get(i);
            metrics.received(rejected.feed());
            metrics.rejected(rejected.feed(), rejected.reason());
            deadLetters.add(new ProducerRecord<byte[], byte[]>(Topics.DLQ.name(), (Integer) null, (byte[]) null, item.value(),
                    ParseProcessor.deadLetterHeaders(item.headers(), rejected, HTTP_SOURCE_TOPIC)));
        }
        try {
            publisher.publish(deadLetters);
        } catch (KafkaUnavailableException | EventTooLargeException e) {
            LOG.warnf("%d rejected HTTP event(s) could not be copied to %s: %s", items.size(), Topics.DLQ.name(),
                    e.getMessage());
        }
    }

    private static Problem splitBatch(byte[] body, List<Item> items, int maxEvents) throws TooManyEventsException {
        JsonNode array;
        try {
            array = MAPPER.readTree(body);
        } catch (IOException e) {
            return new Problem("", null, "the batch is not JSON: "
                    + Problems.echo(e.getMessage().lines().findFirst().orElse("")), "malformed");
        }
        if (array == null || !array.isArray()) {
            return new Problem("", null, "a batch must be a JSON array of structured-mode CloudEvents", "malformed");
        }
        if (array.isEmpty()) {
            return new Problem("", null, "the batch is empty", "malformed");
        }
        if (array.size() > maxEvents) {
            throw new TooManyEventsException(array.size(), maxEvents);
        }
        for (int i = 0; i < array.size(); i++) {
            items.add(new Item(structuredHeaders(), array.get(i).toString().getBytes(StandardCharsets.UTF_8), "/" + i));
        }
        return null;
    }

    private static Headers structuredHeaders() {
        Headers headers = new RecordHeaders();
        headers.add(EventDecoder.CONTENT_TYPE, EventDecoder.STRUCTURED.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** HTTP binary mode ({@code ce-*} headers) in Kafka binary mode ({@code ce_*} headers). */
    private static Headers binaryHeaders(String contentType, Map<String, String> httpHeaders) {
        Headers headers = new RecordHeaders();
        ceHeaders(httpHeaders).forEach(headers::add);
        if (contentType != null && !contentType.isBlank()) {
            headers.add(EventDecoder.CONTENT_TYPE, contentType.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** The {@code ce-*} HTTP headers as Kafka {@code ce_*} headers. */
    private static List<Header> ceHeaders(Map<String, String> httpHeaders) {
        List<Header> headers = new ArrayList<>();
        httpHeaders.forEach((name, value) -> {
            if (name.startsWith("ce-")) {
                headers.add(new RecordHeader("ce_" + name.substring(3), value.getBytes(StandardCharsets.UTF_8)));
            }
        });
        return headers;
    }

    private static Problem problem(Item item, EventDecoder.Rejected rejected, FieldError error) {
        String reason = rejected.reason().label();
        boolean data = error.location() == FieldError.Location.DATA;
        if (rejected.mode() == EventDecoder.Mode.BINARY) {
            if (data) {
                return new Problem(item.pointer() + "/" + error.name(), null, error.message(), reason);
            }
            return switch (error.name()) {
                case "event", "data" -> new Problem(item.pointer(), null, error.message(), reason);
                case "datacontenttype" -> new Problem(null, "content-type", error.message(), reason);
                default -> new Problem(null, "ce-" + error.name(), error.message(), reason);
            };
        }
        String base = item.pointer();
        if (data) {
            return new Problem(base + "/data/" + error.name(), null, error.message(), reason);
        }
        return new Problem(error.name().equals("event") ? base : base + "/" + error.name(), null, error.message(), reason);
    }
}
