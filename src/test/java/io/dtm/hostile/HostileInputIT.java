package io.dtm.hostile;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dtm.events.Feed;
import io.dtm.support.KafkaBroker;
import io.dtm.support.KafkaResource;
import io.dtm.support.ScrapedMetrics;
import io.dtm.support.TestAuth;
import io.dtm.support.TestEvents;
import io.dtm.support.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hostile-input suite: every case of {@code hostile/cases.yaml} (a request and the answer it must get, or a raw
 * record written straight to a topic the service reads) against the running service and the real broker. No
 * answer is a 5xx, every 4xx is a problem of bounded size, Kafka Streams is RUNNING after each raw record, the next
 * good event still becomes an observation, and received = accepted + rejected + duplicate for every feed.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class HostileInputIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final Map<String, String> KEYS = Map.of("all", TestAuth.ALL, "publisher", TestAuth.PUBLISHER,
            "operator", TestAuth.OPERATOR, "reader", TestAuth.READER, "subscriber-a", TestAuth.SUBSCRIBER_A,
            "subscriber-b", TestAuth.SUBSCRIBER_B, "bad", "dtm_not_a_key");

    @Inject
    KafkaStreams streams;


    @BeforeEach
    void withoutDefaultCredentials() {
        TestAuth.withoutDefault();
        io.dtm.support.Http.awaitAlertRulesLoaded(TestAuth.ALL);
    }

    @AfterEach
    void restoreDefaults() {
        TestAuth.withDefault();
    }

    private static JsonNode corpus() throws Exception {
        try (InputStream in = HostileInputIT.class.getResourceAsStream("/hostile/cases.yaml")) {
            return YAML.readTree(in);
        }
    }

    @Test
    void shouldAnswerEveryHostileRequestAsTheCorpusSays() throws Exception {
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        for (JsonNode c : corpus().path("http")) {
            tried++;
            Response r = send(c);
            String name = c.path("name").asText();
            int expected = c.path("status").asInt();
            int status = r.statusCode();
            byte[] answer = r.asByteArray();
            if (status != expected) {
                wrong.add(name + ": " + status + " (expected " + expected + ") " + clip(r.asString()));
            } else if (status >= 400 && !String.valueOf(r.contentType()).startsWith("application/problem+json")) {
                wrong.add(name + ": " + status + " is not a problem (" + r.contentType() + ")");
            } else if (c.has("problem") && !r.asString().contains("\"urn:dtm:problem:" + c.path("problem").asText())) {
                wrong.add(name + ": not the problem " + c.path("problem").asText() + ": " + clip(r.asString()));
            } else if (answer.length > MAX_ANSWER_BYTES) {
                wrong.add(name + ": an answer of " + answer.length + " bytes");
            } else if (c.has("repeat") && r.asString().contains("x".repeat(257))) {
                wrong.add(name + ": the answer echoes more than 256 characters of the bad value");
            }
        }
        assertEquals(List.of(), wrong, "of " + tried + " hostile requests");
        assertEquals(KafkaStreams.State.RUNNING, streams.state());
        System.out.printf("hostile input: %d requests, %d answered as the corpus says, Kafka Streams %s%n", tried,
                tried - wrong.size(), streams.state());
    }

    @Test
    void shouldDeadLetterEveryHostileRecordAndKeepRunning() throws Exception {
        List<String> wrong = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaBroker.producer()) {
            for (JsonNode c : corpus().path("records")) {
                String marker = "hostile-" + UUID.randomUUID();
                String value = c.has("repeat") ? c.path("value").asText().repeat(c.path("repeat").asInt())
                        : c.path("value").asText().replace("$marker", marker);
                RecordHeaders headers = new RecordHeaders();
                headers.add("hostile-case", TestEvents.bytes(marker));
                Iterator<Map.Entry<String, JsonNode>> h = c.path("headers").fields();
                while (h.hasNext()) {
                    var e = h.next();
                    headers.add(e.getKey(), TestEvents.bytes(e.getValue().asText()));
                }
                String key = c.path("key").asText(marker);
                producer.send(new ProducerRecord<>(c.path("topic").asText(), null, key.getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8), headers)).get();
                markers.add(marker);
                try {
                    Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                            .until(() -> streams.state() == KafkaStreams.State.RUNNING
                                    || streams.state() == KafkaStreams.State.REBALANCING);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    wrong.add(c.path("name").asText() + ": Kafka Streams went " + streams.state());
                }
            }
        }
        assertEquals(List.of(), wrong);

        // The next good event still goes all the way through.
        String id = "after-hostile-" + UUID.randomUUID();
        ObjectNode good = TestEvents.structured(Feed.TRADE, "urn:test:hostile", id,
                TestEvents.tradeData("LAO", "WLD", "EXPORT", "SERVICES", "2021", 5.0, "USD_MN", "2022-03-01"));
        given().header("Authorization", TestAuth.bearer(TestAuth.PUBLISHER)).contentType("application/cloudevents+json")
                .body(good.toString()).post("/api/v1/events").then().statusCode(202);
        try (var observations = new TopicReader<>("dtm.observations.v1", new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            observations.await(r -> r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains(id),
                    Duration.ofSeconds(60));
        }
        assertEquals(KafkaStreams.State.RUNNING, streams.state());

        // Each record that could not be used is on the dead-letter topic, with its source topic.
        try (var dlq = new TopicReader<>("dtm.dlq.v1", new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                var found = dlq.readFor(Duration.ofMillis(500), r -> r.headers().lastHeader("hostile-case") != null);
                List<String> seen = found.stream().map(r -> new String(r.headers().lastHeader("hostile-case").value(),
                        StandardCharsets.UTF_8)).toList();
                List<String> missing = new ArrayList<>();
                Iterator<JsonNode> cases = corpus().path("records").iterator();
                for (String marker : markers) {
                    JsonNode c = cases.next();
                    if (c.path("deadLettered").asBoolean(true) && !seen.contains(marker)) {
                        missing.add(c.path("name").asText());
                    }
                }
                assertEquals(List.of(), missing, "hostile records not on dtm.dlq.v1");
            });
        }
        System.out.printf("hostile input: %d raw records, Kafka Streams RUNNING after each, each on dtm.dlq.v1 with "
                + "its source topic; the next good event became an observation%n", markers.size());
    }

    @Test
    void shouldKeepTheCountersExactAfterTheHostileInput() throws Exception {
        shouldAnswerEveryHostileRequestAsTheCorpusSays();
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ScrapedMetrics m = ScrapedMetrics.scrape();
            for (Feed feed : Feed.values()) {
                String f = feed.label();
                double received = m.value("dtm_events_received_total", "feed", f);
                double sum = m.value("dtm_events_accepted_total", "feed", f) + m.series().entrySet().stream()
                        .filter(e -> e.getKey().startsWith("dtm_events_rejected_total{")
                                && e.getKey().contains("feed=\"" + f + "\""))
                        .mapToDouble(Map.Entry::getValue).sum()
                        + m.value("dtm_events_duplicate_total", "feed", f);
                assertEquals(received, sum, "received = accepted + rejected + duplicate for " + f);
            }
        });
    }

    private Response send(JsonNode c) {
        RequestSpecification r = given();
        String auth = c.path("auth").asText("all");
        if (!auth.equals("none")) {
            r = r.header("Authorization", TestAuth.bearer(KEYS.get(auth)));
        }
        Iterator<Map.Entry<String, JsonNode>> h = c.path("headers").fields();
        while (h.hasNext()) {
            var e = h.next();
            r = r.header(e.getKey(), e.getValue().asText());
        }
        String body = body(c);
        if (body != null) {
            r = r.contentType(c.path("contentType").asText("application/json")).body(body);
        }
        return r.request(c.path("method").asText("GET"), c.path("path").asText().replace("$uuid",
                UUID.randomUUID().toString().substring(0, 8)));
    }

    /** The request body: {@code body} as written (repeated {@code repeat} times), or a valid event with {@code event} merged in. */
    private static String body(JsonNode c) {
        if (c.has("body")) {
            String text = c.path("body").isTextual() ? c.path("body").asText() : c.path("body").toString();
            return c.has("repeat") ? text.replace("$x", "x".repeat(c.path("repeat").asInt())) : text;
        }
        if (c.has("event")) {
            ObjectNode event = TestEvents.structured(Feed.TRADE, "urn:test:hostile", UUID.randomUUID().toString(),
                    TestEvents.tradeData("KHM", "WLD", "EXPORT", "SERVICES", "2020", 12.5, "USD_MN", "2021-06-30"));
            merge(event, (ObjectNode) c.path("event"));
            String text = event.toString();
            return c.has("repeat") ? text.replace("$x", "x".repeat(c.path("repeat").asInt())) : text;
        }
        return null;
    }

    /** Merges {@code patch} into {@code target}, object by object; {@code "$remove"} drops a member. */
    private static void merge(ObjectNode target, ObjectNode patch) {
        patch.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual() && e.getValue().asText().equals("$remove")) {
                target.remove(e.getKey());
            } else if (e.getValue().isObject() && target.path(e.getKey()).isObject()) {
                merge((ObjectNode) target.get(e.getKey()), (ObjectNode) e.getValue());
            } else {
                target.set(e.getKey(), e.getValue());
            }
        });
    }

    private static String clip(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
