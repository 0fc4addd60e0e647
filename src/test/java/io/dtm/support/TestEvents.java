package io.dtm.support;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.Feed;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds CloudEvents for tests, in structured mode (JSON) or binary mode (Kafka headers + data). */
public final class TestEvents {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TestEvents() {
    }

    /** The {@code data} of a trade observation. */
    public static ObjectNode tradeData(String reporter, String partner, String flow, String category, String period,
            double value, String unit, String vintage) {
        return JSON.objectNode().put("reporter", reporter).put("partner", partner).put("flow", flow)
                .put("category", category).put("period", period).put("value", value).put("unit", unit)
                .put("vintage", vintage);
    }

    /** A structured-mode event of {@code feed} with {@code data}. */
    public static ObjectNode structured(Feed feed, String source, String id, ObjectNode data) {
        ObjectNode event = JSON.objectNode().put("specversion", "1.0").put("id", id).put("source", source)
                .put("type", feed.eventType()).put("datacontenttype", "application/json");
        event.set("data", data);
        return event;
    }

    /** Kafka headers of a structured-mode event. */
    public static Headers structuredHeaders() {
        return new RecordHeaders().add("content-type", bytes("application/cloudevents+json"));
    }

    /** Kafka headers of a binary-mode event (the data goes in the record value). */
    public static Headers binaryHeaders(Feed feed, String source, String id) {
        return new RecordHeaders()
                .add("ce_specversion", bytes("1.0"))
                .add("ce_id", bytes(id))
                .add("ce_source", bytes(source))
                .add("ce_type", bytes(feed.eventType()))
                .add("content-type", bytes("application/json"));
    }

    public static byte[] bytes(Object text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
