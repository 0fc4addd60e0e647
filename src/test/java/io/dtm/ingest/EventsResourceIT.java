package io.dtm.ingest;

import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.tradeData;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.Feed;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.Topics;
import io.dtm.support.Http;
import io.dtm.support.KafkaResource;
import io.dtm.support.ScrapedMetrics;
import io.dtm.support.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/events} against the real broker: answers, problem details, and what reaches Kafka. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class EventsResourceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final String source = "urn:test:http:" + UUID.randomUUID();

    private ObjectNode good(String id, String period) {
        return structured(Feed.TRADE, source, id, tradeData("SGP", "WLD", "EXPORT", "SI", period, 5.5, "USD_BN",
                "2025-01-31"));
    }

    @Test
    void shouldAcceptAStructuredEventWith202AndPublishItToItsFeedTopic() {
        Http.postEvent(good("one", "2024")).statusCode(202)
                .body("accepted", equalTo(1))
                .body("events[0].id", equalTo("one"))
                .body("events[0].source", equalTo(source))
                .body("events[0].topic", equalTo("dtm.trade.v1"));

        try (var trade = feedReader(Feed.TRADE)) {
            ConsumerRecord<byte[], byte[]> record = trade.await(r -> text(r.value()).contains(source), PATIENCE);
            assertEquals("application/cloudevents+json", header(record, "content-type"));
        }
    }

    @Test
    void shouldNameEveryBadAttributeAndFieldInAnRfc9457Problem() {
        ObjectNode event = structured(Feed.TRADE, source, "", tradeData("XXX", "WLD", "SIDEWAYS", "DDS", "2024-13",
                -3, "EUR", "2024-02-30"));
        event.remove("id");

        Http.postEvent(event).statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:dtm:problem:invalid-event"))
                .body("status", equalTo(400))
                .body("detail", containsString("nothing was published"))
                .body("errors.pointer", hasItems("/id", "/data/reporter", "/data/flow", "/data/period",
                        "/data/value", "/data/unit", "/data/vintage"))
                .body("errors.reason", everyItem(equalTo("invalid-attribute")));
    }

    @Test
    void shouldRejectAWholeBatchWhenOneEventIsBadAndPublishNoneOfIt() {
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        batch.add(good("batch-good", "2023"));
        batch.add(structured(Feed.TRADE, source, "batch-bad", tradeData("SGP", "WLD", "EXPORT", "SI", "2023", 1,
                "GBP", "2025-01-31")));

        Http.postBatch(batch).statusCode(400)
                .body("errors.pointer", hasItem("/1/data/unit"))
                .body("errors.reason", hasItem("unknown-unit"))
                .body("errors.pointer", everyItem(startsWith("/1/")));

        try (var dlq = feedReaderOf(Topics.DLQ.name())) {
            ConsumerRecord<byte[], byte[]> dead = dlq.await(r -> text(r.value()).contains("batch-bad"), PATIENCE);
            assertEquals("http", header(dead, DeadLetters.SOURCE_TOPIC_HEADER));
            assertEquals("unknown-unit", header(dead, DeadLetters.REASON_HEADER));
        }
        try (var trade = feedReader(Feed.TRADE)) {
            assertTrue(trade.readFor(Duration.ofSeconds(2), r -> text(r.value()).contains(source)).isEmpty(),
                    "no event of a refused batch reaches the feed topic");
        }
    }

    @Test
    void shouldAcceptAValidBatchWhole() {
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        batch.add(good("b1", "2021"));
        batch.add(good("b2", "2022"));
        Http.postBatch(batch).statusCode(202).body("accepted", equalTo(2));
    }

    private ObjectNode retraction(String id, ObjectNode data) {
        ObjectNode event = structured(Feed.TRADE, source, id, data);
        event.put("type", EventDecoder.RETRACTION);
        return event;
    }

    @Test
    void shouldPublishARetractionToTheTopicOfTheFeedItNames() {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("feed", "macro").put("country", "THA")
                .put("indicator", "GDP_USD").put("period", "2023").put("vintage", "2025-02-01");
        Http.postEvent(retraction("withdraw-1", data)).statusCode(202)
                .body("events[0].type", equalTo(EventDecoder.RETRACTION))
                .body("events[0].topic", equalTo("dtm.macro.v1"));

        try (var macro = feedReader(Feed.MACRO)) {
            ConsumerRecord<byte[], byte[]> record = macro.await(r -> text(r.value()).contains(source)
                    && text(r.value()).contains("withdraw-1"), PATIENCE);
            assertEquals("macro|THA|||GDP_USD", text(record.key()), "keyed by its series, as observations are");
        }
    }

    @Test
    void shouldRefuseABadRetractionWithAProblemNamingEveryBadField() {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("feed", "trade").put("reporter", "SGP")
                .put("flow", "EXPORT").put("category", "SI").put("period", "2024").put("value", 5)
                .put("vintage", "2999-01-01");
        Http.postEvent(retraction("withdraw-bad", data)).statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("errors.pointer", hasItems("/data/partner", "/data/value", "/data/vintage"))
                .body("errors.reason", everyItem(equalTo("invalid-field")));
    }

    @Test
    void shouldAcceptBinaryModeAndKeepItsCeHeadersOnKafka() {
        given().contentType("application/json")
                .header("ce-specversion", "1.0").header("ce-id", "bin-1").header("ce-source", source)
                .header("ce-type", "dtm.macro.observation.v1")
                .body("{\"country\":\"THA\",\"indicator\":\"GDP_USD\",\"period\":\"2023\",\"value\":5.1e11,"
                        + "\"unit\":\"USD\",\"vintage\":\"2024-07-01\"}")
                .post("/api/v1/events").then().statusCode(202).body("events[0].topic", equalTo("dtm.macro.v1"));

        try (var macro = feedReader(Feed.MACRO)) {
            ConsumerRecord<byte[], byte[]> record = macro.await(r -> r.headers().lastHeader("ce_source") != null
                    && header(r, "ce_source").equals(source), PATIENCE);
            assertEquals("bin-1", header(record, "ce_id"));
        }
    }

    @Test
    void shouldNameMissingBinaryModeHeadersAndBadDataFields() {
        given().contentType("application/json")
                .header("ce-specversion", "1.0").header("ce-source", source)
                .header("ce-type", "dtm.macro.observation.v1")
                .body("{\"country\":\"THA\",\"indicator\":\"GDP_USD\",\"period\":\"2023\",\"value\":-1,"
                        + "\"unit\":\"USD\",\"vintage\":\"2024-07-01\"}")
                .post("/api/v1/events").then().statusCode(400)
                .body("errors.header", hasItem("ce-id"))
                .body("errors.pointer", hasItem("/value"));
    }

    @Test
    void shouldAnswerMalformedJsonAndUnknownTypesWithTheirReasonAndCountThem() {
        ScrapedMetrics before = ScrapedMetrics.scrape();
        Http.postEvent("{\"specversion\": ").statusCode(400).body("errors.reason", hasItem("malformed"));
        ObjectNode unknown = good("t1", "2024").put("type", "dtm.weather.observation.v1");
        Http.postEvent(unknown).statusCode(400).body("errors.reason", hasItem("unknown-type"))
                .body("errors.pointer", hasItem("/type"));

        ScrapedMetrics after = ScrapedMetrics.scrape();
        assertEquals(2, after.value("dtm_events_received_total", "feed", "unknown")
                - before.value("dtm_events_received_total", "feed", "unknown"));
        assertEquals(1, after.value("dtm_events_rejected_total", "feed", "unknown", "reason", "unknown-type")
                - before.value("dtm_events_rejected_total", "feed", "unknown", "reason", "unknown-type"));
    }

    @Test
    void shouldAnswer413ToABodyOverTheLimit() {
        String huge = "[" + "x".repeat(1_100_000) + "]";
        Http.postBatch(huge).statusCode(413)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:dtm:problem:body-too-large"));
    }

    @Test
    void shouldAnswer413NotA503ToAnEventWithinTheBodyLimitThatNoKafkaRecordCanHold() {
        // a valid event padded with JSON whitespace up to the body limit: with its key and headers, more than a
        // Kafka record takes
        String event = good("padded", "2021").toString();
        String padded = event.substring(0, event.length() - 1)
                + " ".repeat(1_048_576 - event.getBytes(StandardCharsets.UTF_8).length) + "}";
        assertEquals(1_048_576, padded.getBytes(StandardCharsets.UTF_8).length);

        Http.postEvent(padded).statusCode(413)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:dtm:problem:event-too-large"))
                .body("status", equalTo(413))
                .body("detail", containsString("max.request.size"));
        try (var trade = feedReader(Feed.TRADE)) {
            assertTrue(trade.readFor(Duration.ofSeconds(2), r -> text(r.value()).contains(source)).isEmpty(),
                    "nothing published");
        }
        Http.postEvent(good("small-after-padded", "2021")).statusCode(202);
    }

    @Test
    void shouldAnswer413ToABatchOfMoreEventsThanTheLimit() {
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i <= 10_000; i++) {
            batch.addObject();
        }
        Http.postBatch(batch).statusCode(413).contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:dtm:problem:batch-too-large"))
                .body("detail", containsString("dtm.ingest.max-batch-events"));
    }

    @Test
    void shouldRefuseAFarFutureVintageAKeyGivenTwiceAndHeadersThatContradictTheBody() {
        ObjectNode frozen = structured(Feed.TRADE, source, "frozen", tradeData("SGP", "WLD", "EXPORT", "SI", "2024",
                5.5, "USD_BN", "9999-12-31"));
        Http.postEvent(frozen).statusCode(400).body("errors.pointer", hasItem("/data/vintage"))
                .body("errors.reason", hasItem("invalid-field"));

        String twice = good("twice", "2024").toString().replace("{\"specversion\"",
                "{\"id\":\"first\",\"specversion\"");
        assertTrue(twice.indexOf("\"id\"") != twice.lastIndexOf("\"id\""), twice);
        Http.postEvent(twice).statusCode(400).body("errors.reason", hasItem("malformed"))
                .body("errors.detail", hasItem(containsString("Duplicate field")));
        ArrayNode batch = JsonNodeFactory.instance.arrayNode().add(good("in-batch", "2024"));
        Http.postBatch(batch.toString().replace("\"period\":\"2024\"", "\"period\":\"2024\",\"period\":\"2020\""))
                .statusCode(400).body("errors.reason", hasItem("malformed"));

        // binary mode (ce-* headers of a trade event) over a structured-mode event
        given().contentType("application/json").header("ce-specversion", "1.0").header("ce-id", "mixed")
                .header("ce-source", source).header("ce-type", "dtm.trade.observation.v1")
                .body(good("other", "2024").toString()).post("/api/v1/events").then().statusCode(400)
                .body("errors.reason", hasItem("malformed"))
                .body("errors.detail", hasItem(containsString("headers and body disagree")));
        // a structured-mode event with a ce-type header naming another type
        given().contentType("application/cloudevents+json").header("ce-type", "dtm.macro.observation.v1")
                .body(good("typed", "2024").toString()).post("/api/v1/events").then().statusCode(400)
                .body("errors.detail", hasItem(containsString("ce_type")));

        try (var trade = feedReader(Feed.TRADE)) {
            assertTrue(trade.readFor(Duration.ofSeconds(2), r -> text(r.value()).contains(source)).isEmpty(),
                    "none of them reaches the feed topic");
        }
    }

    @Test
    void shouldListAtMost100ProblemsAndEchoAtMost256CharactersInTheAnswerAndTheDeadLetter() {
        ObjectNode event = good("noisy", "2024");
        ObjectNode data = (ObjectNode) event.get("data");
        for (int i = 0; i < 300; i++) {
            data.put("extra" + i, i);
        }
        data.put("reporter", "R".repeat(20_000));
        String answer = Http.postEvent(event).statusCode(400).body("errors.size()", equalTo(100))
                .body("errorCount", equalTo(301)).extract().asString();
        assertFalse(answer.contains("R".repeat(257)), "the answer echoes at most 256 characters of a value");
        try (var dlq = feedReaderOf(Topics.DLQ.name())) {
            ConsumerRecord<byte[], byte[]> dead = dlq.await(r -> text(r.value()).contains("noisy")
                    && text(r.value()).contains(source), PATIENCE);
            String detail = header(dead, DeadLetters.DETAIL_HEADER);
            assertFalse(detail.contains("R".repeat(257)), "the dead letter echoes at most 256 characters");
            assertTrue(detail.contains("…and 201 more (301 in all)"), detail.substring(detail.length() - 40));
        }
    }

    @Test
    void shouldAnswerEveryHostileBodyWithAProblem() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        for (String contentType : new String[] {"application/cloudevents+json", "application/cloudevents-batch+json",
                "application/json", "text/plain"}) {
            for (String body : new String[] {"", "null", "[1, 2]", "42", "\"event\"", "{", deep, "[null]", "[[]]",
                    "{\"specversion\": 1.0, \"id\": 7, \"source\": [], \"type\": {}, \"data\": 1e400}"}) {
                given().contentType(contentType).body(body).post("/api/v1/events").then().statusCode(400)
                        .contentType(containsString("application/problem+json"));
            }
        }
    }

    @Test
    void shouldServeTheJsonSchemasOfTheFourDataShapesAndOfTheRetraction() {
        for (String feed : new String[] {"trade", "compute", "policy", "macro", "retraction"}) {
            given().get("/schemas/v1/" + feed + ".json").then().statusCode(200)
                    .body("$id", equalTo("urn:dtm:schema:v1:" + feed));
        }
    }

    @Test
    void shouldDescribeTheEventsEndpointInOpenApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/events'.post.responses.'400'.description", containsString("RFC 9457"));
    }

    private static TopicReader<byte[], byte[]> feedReader(Feed feed) {
        return feedReaderOf(Topics.of(feed).name());
    }

    private static TopicReader<byte[], byte[]> feedReaderOf(String topic) {
        return new TopicReader<>(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
