package io.dtm.ingest;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.dtm.api.Problems;
import io.dtm.events.Feed;
import io.dtm.events.Observation;
import io.dtm.events.RejectReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads one CloudEvent in Kafka form (headers and value bytes; structured or binary mode) and validates it:
 * parse → validate. Every bad attribute and field is named; nothing here throws on bad input.
 */
public final class EventDecoder {

    /** Kafka header of the CloudEvents content type (structured mode) or of the data (binary mode). */
    public static final String CONTENT_TYPE = "content-type";
    /**
     * The CloudEvents {@code type} of a retraction, which any feed may send on its topic: it withdraws the
     * observation of a series and period at a vintage.
     */
    public static final String RETRACTION = "dtm.retraction.v1";
    /** Content type of a structured-mode event. */
    public static final String STRUCTURED = JsonFormat.CONTENT_TYPE;
    /**
     * The longest {@code id}, {@code source} and {@code type} accepted: an event's ids are kept in the vintage store
     * (a bounded number per period), which must stay far below Kafka's record limit.
     */
    static final int MAX_ATTRIBUTE_LENGTH = 512;
    private static final String CE_PREFIX = "ce_";
    /** Parses event JSON; a key given twice in one object is refused rather than silently taking the last. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** The most characters of an {@code id} or {@code source}. */
    static final int MAX_ID = 256;
    /** Content type of a batch (a JSON array of structured-mode events), never binary-mode data. */
    private static final String BATCH = "application/cloudevents-batch+json";
    /** The CloudEvents SDK's JSON format as a Jackson module: reads a structured event from the tree parsed once. */
    private static final ObjectMapper CLOUDEVENTS = new ObjectMapper()
            .registerModule(JsonFormat.getCloudEventJacksonModule());
    /** The CloudEvents SDK's reader, bound to {@link CloudEvent} once. */
    private static final ObjectReader CLOUDEVENT_READER = CLOUDEVENTS.readerFor(CloudEvent.class);

    private EventDecoder() {
    }

    /** CloudEvents content mode of a record. */
    public enum Mode { STRUCTURED, BINARY }

    /** The outcome of decoding one record. */
    public sealed interface Decoded permits Accepted, Rejected {
    }

    /**
     * A valid event of {@code feed}, with the observation it carries; for a retraction, the observation it withdraws
     * (its series, period, the vintage of the withdrawal and the retraction's {@code source} and {@code id}, no
     * value).
     */
    public record Accepted(Feed feed, Observation observation, boolean retraction) implements Decoded {

        /** An observation event. */
        public Accepted(Feed feed, Observation observation) {
            this(feed, observation, false);
        }

        /** The event's CloudEvents {@code type}. */
        public String type() {
            return retraction ? RETRACTION : feed.eventType();
        }
    }

    /**
     * An invalid event.
     *
     * @param feed the feed label: the topic's feed on Kafka, the type's feed over HTTP, or {@code unknown}
     */
    public record Rejected(String feed, RejectReason reason, Mode mode, List<FieldError> errors) implements Decoded {

        /** The errors on one line (at most {@value Problems#MAX_ERRORS}), for the {@code dtm.error.detail} header. */
        public String detail() {
            return Problems.summary(errors);
        }
    }

    /**
     * Decodes a record.
     *
     * @param topicFeed the feed of the topic it was read from, or {@code null} when it came over HTTP
     * @param today     the date (UTC) the plausibility of periods and vintages is judged against
     */
    public static Decoded decode(Headers headers, byte[] value, Feed topicFeed, LocalDate today) {
        String contentType = header(headers, CONTENT_TYPE);
        boolean binary = header(headers, CE_PREFIX + "specversion") != null
                && (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(STRUCTURED));
        return binary ? binary(headers, value, contentType, topicFeed, today)
                : structured(headers, value, contentType, topicFeed, today);
    }

    private static Decoded structured(Headers headers, byte[] value, String contentType, Feed topicFeed,
            LocalDate today) {
        String topicLabel = topicFeed == null ? Feed.UNKNOWN_LABEL : topicFeed.label();
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith(STRUCTURED)
                && !isJson(contentType)) {
            return malformed(topicLabel, Mode.STRUCTURED, "content-type '" + Problems.echo(contentType)
                    + "' is neither " + STRUCTURED + " (structured mode) nor binary mode (no ce_specversion header)");
        }
        JsonNode tree;
        try {
            tree = value == null ? null : MAPPER.readTree(value);
        } catch (IOException e) {
            return malformed(topicLabel, Mode.STRUCTURED, "not JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            return malformed(topicLabel, Mode.STRUCTURED, "a structured-mode CloudEvent must be a JSON object");
        }
        String disagreement = headersDisagree(headers, tree);
        if (disagreement != null) {
            return malformed(topicLabel, Mode.STRUCTURED, disagreement);
        }
        List<FieldError> errors = new ArrayList<>();
        requireSpecVersion(text(tree, "specversion", errors), errors);
        String id = identifier(require(text(tree, "id", errors), "id", errors), "id", errors);
        String source = identifier(require(text(tree, "source", errors), "source", errors), "source", errors);
        String type = require(text(tree, "type", errors), "type", errors);
        checkTime(text(tree, "time", errors), errors);
        String dataContentType = text(tree, "datacontenttype", errors);
        if (dataContentType != null && !dataContentType.isEmpty() && !isJson(dataContentType)) {
            errors.add(FieldError.attribute("datacontenttype", "must be application/json, was '"
                    + Problems.echo(dataContentType) + "'"));
        }
        JsonNode data = tree.get("data");
        if (data == null || !data.isObject()) {
            errors.add(FieldError.attribute("data", "is required and must be a JSON object"));
            data = null;
        }
        if (errors.isEmpty()) {
            try {
                // the SDK checks the context attributes; left without the data object (checked below, field by
                // field), it does not write the data back out to bytes
                ObjectNode attributes = MAPPER.createObjectNode();
                tree.fields().forEachRemaining(f -> {
                    if (!f.getKey().equals("data")) {
                        attributes.set(f.getKey(), f.getValue());
                    }
                });
                CloudEvent event = CLOUDEVENT_READER.readValue(attributes);
                id = event.getId();
                source = event.getSource().toString();
            } catch (IOException | RuntimeException e) {
                errors.add(FieldError.attribute("event", firstLine(e.getMessage())));
            }
        }
        return validate(type, id, source, data, errors, Mode.STRUCTURED, topicFeed, today);
    }

    private static Decoded binary(Headers headers, byte[] value, String contentType, Feed topicFeed,
            LocalDate today) {
        String topicLabel = topicFeed == null ? Feed.UNKNOWN_LABEL : topicFeed.label();
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(BATCH)) {
            return malformed(topicLabel, Mode.BINARY, "headers and body disagree: the ce_* headers say binary mode, "
                    + "content-type says a batch of structured-mode events");
        }
        List<FieldError> errors = new ArrayList<>();
        requireSpecVersion(header(headers, CE_PREFIX + "specversion"), errors);
        String id = identifier(require(header(headers, CE_PREFIX + "id"), "id", errors), "id", errors);
        String source = identifier(require(header(headers, CE_PREFIX + "source"), "source", errors), "source", errors);
        String type = require(header(headers, CE_PREFIX + "type"), "type", errors);
        checkTime(header(headers, CE_PREFIX + "time"), errors);
        if (contentType != null && !isJson(contentType)) {
            errors.add(FieldError.attribute("datacontenttype", "must be application/json, was '"
                    + Problems.echo(contentType) + "'"));
        }
        JsonNode data;
        try {
            data = value == null || value.length == 0 ? null : MAPPER.readTree(value);
        } catch (IOException e) {
            return malformed(topicLabel, Mode.BINARY, "data is not JSON: " + firstLine(e.getMessage()));
        }
        if (data != null && data.isObject() && data.has("specversion")) {
            return malformed(topicLabel, Mode.BINARY, "headers and body disagree: the ce_* headers say binary mode "
                    + "(data in the body), the body is a structured-mode CloudEvent (it has specversion)");
        }
        if (data == null || !data.isObject()) {
            errors.add(FieldError.attribute("data", "is required and must be a JSON object"));
            data = null;
        }
        if (errors.isEmpty()) {
            try {
                CloudEvent event = KafkaMessageFactory.createReader(headers, value).toEvent();
                id = event.getId();
                source = event.getSource().toString();
            } catch (RuntimeException e) {
                errors.add(FieldError.attribute("event", firstLine(e.getMessage())));
            }
        }
        return validate(type, id, source, data, errors, Mode.BINARY, topicFeed, today);
    }

    private static Decoded validate(String type, String id, String source, JsonNode data,
            List<FieldError> attributeErrors, Mode mode, Feed topicFeed, LocalDate today) {
        if (RETRACTION.equals(type)) {
            return validateRetraction(id, source, data, attributeErrors, mode, topicFeed, today);
        }
        Optional<Feed> feed = type == null ? Optional.empty() : Feed.ofEventType(type);
        String label = topicFeed != null ? topicFeed.label() : feed.map(Feed::label).orElse(Feed.UNKNOWN_LABEL);
        List<FieldError> errors = new ArrayList<>(attributeErrors);
        if (type != null && feed.isEmpty()) {
            errors.add(FieldError.attribute("type", "unknown event type '" + Problems.echo(type) + "' (known types: "
                    + java.util.Arrays.stream(Feed.values()).map(Feed::eventType).collect(Collectors.joining(", "))
                    + ", " + RETRACTION + ")"));
            return new Rejected(label, attributeErrors.isEmpty() ? RejectReason.UNKNOWN_TYPE
                    : RejectReason.INVALID_ATTRIBUTE, mode, errors);
        }
        if (feed.isPresent() && topicFeed != null && feed.get() != topicFeed) {
            errors.add(FieldError.attribute("type", "'" + type + "' belongs on the " + feed.get().label()
                    + " feed's topic, not on the " + topicFeed.label() + " feed's"));
            return new Rejected(label, attributeErrors.isEmpty() ? RejectReason.WRONG_TOPIC
                    : RejectReason.INVALID_ATTRIBUTE, mode, errors);
        }
        DataValidator.Result result = feed.isPresent() && data != null
                ? DataValidator.validate(feed.get(), data, source, id, today)
                : new DataValidator.Result(Optional.empty(), List.of());
        errors.addAll(result.errors());
        if (!attributeErrors.isEmpty()) {
            return new Rejected(label, RejectReason.INVALID_ATTRIBUTE, mode, errors);
        }
        if (!errors.isEmpty()) {
            boolean onlyUnit = errors.stream().allMatch(FieldError::unknownUnit);
            return new Rejected(label, onlyUnit ? RejectReason.UNKNOWN_UNIT : RejectReason.INVALID_FIELD, mode, errors);
        }
        return new Accepted(feed.get(), result.observation().orElseThrow());
    }

    /**
     * A retraction: its feed is its data's {@code feed}, and on Kafka it must be the topic's (its series lives on
     * that topic's partitions).
     */
    private static Decoded validateRetraction(String id, String source, JsonNode data,
            List<FieldError> attributeErrors, Mode mode, Feed topicFeed, LocalDate today) {
        List<FieldError> errors = new ArrayList<>(attributeErrors);
        DataValidator.Result result = data == null ? new DataValidator.Result(Optional.empty(), List.of())
                : DataValidator.retraction(data, source, id, today);
        errors.addAll(result.errors());
        Optional<Feed> feed = result.observation().flatMap(o -> Feed.ofLabel(o.feed()));
        if (feed.isEmpty() && data != null && data.path("feed").isTextual()) {
            feed = Feed.ofLabel(data.path("feed").asText());
        }
        String label = topicFeed != null ? topicFeed.label() : feed.map(Feed::label).orElse(Feed.UNKNOWN_LABEL);
        if (!attributeErrors.isEmpty()) {
            return new Rejected(label, RejectReason.INVALID_ATTRIBUTE, mode, errors);
        }
        if (!errors.isEmpty()) {
            return new Rejected(label, RejectReason.INVALID_FIELD, mode, errors);
        }
        if (topicFeed != null && feed.get() != topicFeed) {
            return new Rejected(label, RejectReason.WRONG_TOPIC, mode, List.of(FieldError.data("feed",
                    "a retraction of the " + feed.get().label() + " feed belongs on the " + feed.get().label()
                    + " feed's topic, not on the " + topicFeed.label() + " feed's")));
        }
        return new Accepted(feed.get(), result.observation().orElseThrow(), true);
    }

    private static Rejected malformed(String feed, Mode mode, String message) {
        return new Rejected(feed, RejectReason.MALFORMED, mode, List.of(FieldError.attribute("event", message)));
    }

    private static boolean named(List<FieldError> errors, String name) {
        return errors.stream().anyMatch(e -> e.location() == FieldError.Location.ATTRIBUTE && e.name().equals(name));
    }

    private static void requireSpecVersion(String version, List<FieldError> errors) {
        if (named(errors, "specversion")) {
            return;
        }
        if (version == null) {
            errors.add(FieldError.attribute("specversion", "is required (1.0)"));
        } else if (!"1.0".equals(version)) {
            errors.add(FieldError.attribute("specversion", "must be 1.0, was '" + Problems.echo(version) + "'"));
        }
    }

    private static String require(String value, String name, List<FieldError> errors) {
        if (named(errors, name)) {
            return null;
        }
        if (value == null || value.isBlank()) {
            errors.add(FieldError.attribute(name, "is required and must be a non-empty string"));
            return null;
        }
        if (value.length() > MAX_ATTRIBUTE_LENGTH) {
            errors.add(FieldError.attribute(name, "must be at most " + MAX_ATTRIBUTE_LENGTH + " characters, was "
                    + value.length()));
            return null;
        }
        return value;
    }

    private static void checkTime(String time, List<FieldError> errors) {
        if (time == null || named(errors, "time")) {
            return;
        }
        try {
            OffsetDateTime.parse(time);
        } catch (DateTimeParseException e) {
            errors.add(FieldError.attribute("time", "must be an RFC 3339 timestamp, was '" + Problems.echo(time)
                    + "'"));
        }
    }

    /** A string attribute, or {@code null} when absent; a non-string value is an error. */
    private static String text(JsonNode tree, String name, List<FieldError> errors) {
        JsonNode node = tree.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(FieldError.attribute(name, "must be a string, was " + Problems.echo(node)));
            return "";
        }
        return node.asText();
    }

    /** The last value of a header as UTF-8 text, or {@code null}. */
    public static String header(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.endsWith("+json");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return Problems.echo(newline < 0 ? message : message.substring(0, newline));
    }

    /**
     * An {@code id} or {@code source} of at most {@value #MAX_ID} characters without control characters (they key
     * the de-duplication and travel in headers and logs); {@code null} with an error otherwise.
     */
    private static String identifier(String value, String name, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_ID || value.chars().anyMatch(Character::isISOControl)) {
            errors.add(FieldError.attribute(name, "must be at most " + MAX_ID
                    + " characters without control characters, was '" + Problems.echo(value) + "' ("
                    + value.length() + " characters)"));
            return null;
        }
        return value;
    }

    /**
     * In structured mode, the attributes are the body's: a {@code ce_*} header that gives one of them another value
     * (another type, id, source, …) makes the record ambiguous. The disagreement, or {@code null} when there is none.
     */
    private static String headersDisagree(Headers headers, JsonNode tree) {
        if (headers == null) {
            return null;
        }
        for (Header header : headers) {
            if (header.key().startsWith(CE_PREFIX) && header.value() != null) {
                String attribute = header.key().substring(CE_PREFIX.length());
                String said = new String(header.value(), StandardCharsets.UTF_8);
                JsonNode inBody = tree.get(attribute);
                if (inBody != null && !inBody.asText().equals(said)) {
                    return "headers and body disagree: header " + Problems.echo(header.key()) + " is '"
                            + Problems.echo(said) + "', the structured-mode event's " + Problems.echo(attribute)
                            + " is " + Problems.echo(inBody.isTextual() ? "'" + inBody.asText() + "'" : inBody);
                }
            }
        }
        return null;
    }
}
