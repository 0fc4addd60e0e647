package io.dtm.alerts;

import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.tradeData;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dtm.events.Feed;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.Topics;
import io.dtm.support.AlertmanagerServer;
import io.dtm.support.Http;
import io.dtm.support.KafkaResource;
import io.dtm.support.TopicReader;
import io.dtm.support.WebhookReceiver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Delivery end to end against the real broker: a rule created over REST fires on published events, real HTTP
 * receivers on loopback (allow-listed) get signed Alertmanager-v4 notifications, a flaky receiver gets the same
 * idempotency key on every attempt, a dead one ends in {@code dtm.notifications.dlq.v1}, a revision resolves the
 * alert; and a real Alertmanager receives the pushed alert.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@TestProfile(NotificationDeliveryIT.FastRetries.class)
class NotificationDeliveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "delivery-test-secret-0123456789";

    /** Short backoffs so that every retry happens within the test. */
    public static class FastRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dtm.alerts.delivery.max-retries", "3",
                    "dtm.alerts.delivery.initial-backoff", "PT0.2S",
                    "dtm.alerts.delivery.max-backoff", "PT1S",
                    "dtm.alerts.delivery.jitter", "PT0.05S",
                    "dtm.alerts.delivery.timeout", "PT2S",
                    "dtm.alerts.delivery.alertmanager-resend", "PT2S");
        }
    }

    @Test
    void shouldDeliverSignedNotificationsRetryWithOneKeyAndDeadLetterAfterTheLastRetry() throws Exception {
        String rule = "delivery-test-" + UUID.randomUUID().toString().substring(0, 8);
        putRule(rule, "LAO", "NZL");
        try (WebhookReceiver ok = new WebhookReceiver();
                WebhookReceiver flaky = new WebhookReceiver(503, 503)) {
            subscribe(rule + "-ok", "webhook", ok.url() + "/hook", rule);
            subscribe(rule + "-flaky", "webhook", flaky.url() + "/hook", rule);
            subscribe(rule + "-dead", "webhook", "http://127.0.0.1:" + closedPort() + "/hook?token=dead-t0k3n", rule);
            String copies = "dtm-notify.team." + rule;
            createTopic(copies);
            subscribe(rule + "-kafka", "kafka", copies, rule);

            String source = "urn:test:delivery:" + UUID.randomUUID();
            publish(source, "a", "LAO", "NZL", "2023", 100, "2024-03-01");
            publish(source, "b", "LAO", "NZL", "2024", 101, "2025-03-01"); // growth 1 % < 3 %: fires

            WebhookReceiver.Request firing = ok.await(r -> true, 1, Duration.ofSeconds(60)).get(0);
            assertTrue(Notifications.verify(firing.header(Notifications.SIGNATURE_HEADER),
                    firing.body().getBytes(StandardCharsets.UTF_8), SECRET), "a valid X-DTM-Signature");
            JsonNode payload = JSON.readTree(firing.body());
            assertEquals(firing.header(Notifications.IDEMPOTENCY_HEADER),
                    payload.get("dtm").get("idempotencyKey").asText(), "the signed body carries the key");
            assertEquals("4", payload.get("version").asText());
            assertEquals("firing", payload.get("status").asText());
            assertEquals(rule + "-ok", payload.get("receiver").asText());
            assertEquals(0, payload.get("truncatedAlerts").asInt());
            for (String field : List.of("groupKey", "groupLabels", "commonLabels", "commonAnnotations",
                    "externalURL")) {
                assertTrue(payload.has(field), field);
            }
            JsonNode alert = payload.get("alerts").get(0);
            assertEquals("firing", alert.get("status").asText());
            assertEquals(rule, alert.get("labels").get("rule").asText());
            assertEquals("LAO", alert.get("labels").get("reporter").asText());
            for (String field : List.of("annotations", "startsAt", "endsAt", "generatorURL", "fingerprint")) {
                assertTrue(alert.has(field), field);
            }
            assertEquals(1.0, payload.get("dtm").get("value").asDouble(), 1e-9);
            assertEquals(source, payload.get("dtm").get("event").get("source").asText());
            assertEquals("2025-03-01", payload.get("dtm").get("event").get("vintage").asText());
            String transition = payload.get("dtm").get("transition").asText();

            // the flaky receiver answered 503 twice: three attempts, one idempotency key, delivered once
            List<WebhookReceiver.Request> attempts = flaky.await(r -> r.answered() == 200, 1, Duration.ofSeconds(30));
            assertEquals(1, attempts.size());
            Set<String> keys = flaky.requests().stream().map(r -> r.header(Notifications.IDEMPOTENCY_HEADER))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(key(transition, rule + "-flaky")), keys);
            assertEquals(3, flaky.requests().size());

            // nothing listens on the dead target: after the first attempt and 3 retries, the dead-letter topic
            try (var dlq = new TopicReader<>(Topics.NOTIFICATIONS_DLQ.name(), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                var dead = dlq.await(r -> key(transition, rule + "-dead").equals(r.key()), Duration.ofSeconds(60));
                JsonNode value = JSON.readTree(dead.value());
                assertEquals(rule + "-dead", value.get("subscription").asText());
                assertEquals(4, value.get("attempts").asInt());
                assertEquals("firing", value.get("transition").get("status").asText());
                assertEquals("delivery-failed", new String(dead.headers().lastHeader(DeadLetters.REASON_HEADER)
                        .value(), StandardCharsets.UTF_8));
                assertEquals(Topics.ALERTS.name(), new String(dead.headers()
                        .lastHeader(DeadLetters.SOURCE_TOPIC_HEADER).value(), StandardCharsets.UTF_8),
                        "the dead letter names where the transition was read, as every dead letter does");
                assertTrue(value.get("target").asText().endsWith("/hook?token=***"), value.toString());
                assertFalse(new String(dead.value(), StandardCharsets.UTF_8).contains("dead-t0k3n"),
                        "the target's token is redacted in the dead letter");
                assertFalse(new String(dead.headers().lastHeader(DeadLetters.DETAIL_HEADER).value(), StandardCharsets.UTF_8)
                        .contains("dead-t0k3n"), "and in its detail header");
            }

            // the kafka channel: the dtm.alerts.v1 record itself on the subscriber's topic, with its key
            try (var copied = new TopicReader<>(copies, new StringDeserializer(), new ByteArrayDeserializer())) {
                var record = copied.await(r -> true, Duration.ofSeconds(60));
                JsonNode value = JSON.readTree(record.value());
                assertEquals(transition, value.get("id").asText());
                assertEquals("firing", value.get("status").asText());
                assertEquals(key(transition, rule + "-kafka"), new String(record.headers()
                        .lastHeader(Notifications.IDEMPOTENCY_HEADER).value(), StandardCharsets.UTF_8));
            }

            // a revision takes the low growth back: one resolved notification follows
            publish(source, "c", "LAO", "NZL", "2024", 110, "2025-06-01");
            WebhookReceiver.Request resolved = ok.await(r -> r.body().contains("\"status\":\"resolved\""), 1,
                    Duration.ofSeconds(60)).get(0);
            assertTrue(Notifications.verify(resolved.header(Notifications.SIGNATURE_HEADER),
                    resolved.body().getBytes(StandardCharsets.UTF_8), SECRET));
            // nothing more arrives
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertEquals(2,
                    ok.requests().size(), "one firing and one resolved notification: " + ok.requests()));
            assertFalse(ok.requests().get(0).header(Notifications.IDEMPOTENCY_HEADER)
                    .equals(resolved.header(Notifications.IDEMPOTENCY_HEADER)));
            given().get("/q/metrics").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString(
                            "dtm_notifications_total{channel=\"webhook\",outcome=\"dead-lettered\"}"))
                    .body(org.hamcrest.Matchers.containsString(
                            "dtm_notifications_total{channel=\"alertmanager\",outcome=\"dead-lettered\"} 0.0"));
        }
    }

    @Test
    void shouldPushTheAlertToARealAlertmanagerAndKeepItActiveWhileFiring() throws Exception {
        Optional<Path> binary = AlertmanagerServer.findBinary();
        if (binary.isEmpty() && "1".equals(System.getenv("DTM_REQUIRE_PROMETHEUS"))) {
            fail("DTM_REQUIRE_PROMETHEUS=1 but no alertmanager binary was found "
                    + "(apt-get install prometheus-alertmanager)");
        }
        Assumptions.assumeTrue(binary.isPresent(), "no alertmanager binary here; CI requires it");
        String rule = "delivery-am-" + UUID.randomUUID().toString().substring(0, 8);
        putRule(rule, "LAO", "SGP");
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "alertmanager-");
        try (AlertmanagerServer alertmanager = AlertmanagerServer.start(binary.get(), work)) {
            subscribe(rule + "-am", "alertmanager", alertmanager.url(), rule);
            String source = "urn:test:alertmanager:" + UUID.randomUUID();
            publish(source, "a", "LAO", "SGP", "2023", 100, "2024-03-01");
            publish(source, "b", "LAO", "SGP", "2024", 101, "2025-03-01");

            JsonNode pushed = await().atMost(Duration.ofSeconds(60)).until(() -> find(alertmanager, rule),
                    a -> a != null);
            assertEquals("active", pushed.get("status").get("state").asText());
            assertEquals("LAO", pushed.get("labels").get("reporter").asText());
            assertEquals("warning", pushed.get("labels").get("severity").asText());
            // re-sent every 2 s with endsAt 8 s ahead: still active all through, past the first lease
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(12)).untilAsserted(() -> {
                JsonNode later = find(alertmanager, rule);
                assertNotNull(later, "Alertmanager kept the alert while it was firing");
                assertTrue(Instant.parse(later.get("endsAt").asText()).isAfter(Instant.now()));
            });

            publish(source, "c", "LAO", "SGP", "2024", 110, "2025-06-01");
            await().atMost(Duration.ofSeconds(60)).until(() -> find(alertmanager, rule) == null);
        }
    }

    /** The alert of {@code rule} that Alertmanager shows as not yet ended, or null. */
    private static JsonNode find(AlertmanagerServer alertmanager, String rule) throws Exception {
        for (JsonNode a : alertmanager.alerts()) {
            if (rule.equals(a.path("labels").path("rule").asText())
                    && Instant.parse(a.get("endsAt").asText()).isAfter(Instant.now())) {
                return a;
            }
        }
        return null;
    }

    private static void putRule(String id, String reporter, String partner) {
        Http.awaitAlertRulesLoaded();
        given().contentType("application/json").body("""
                {"source": "indicator", "severity": "warning", "scope": "country",
                 "description": "DDS export growth below 3 %%", "entry": "trade-yoy-growth",
                 "reporter": "%s", "partner": "%s", "flow": "EXPORT", "category": "DDS",
                 "op": "<", "threshold": 3, "clear": 4}""".formatted(reporter, partner))
                .put("/api/v1/alert-rules/" + id).then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> given().get("/api/v1/alert-rules/" + id).statusCode() == 200);
    }

    private static void subscribe(String id, String channel, String target, String rule) {
        given().contentType("application/json").body(Map.of("channel", channel, "target", target,
                "labels", Map.of("rule", rule), "secret", SECRET))
                .put("/api/v1/subscriptions/" + id).then().statusCode(201);
    }

    private static void publish(String source, String id, String reporter, String partner, String period,
            double value, String vintage) {
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        batch.add(structured(Feed.TRADE, source, id, tradeData(reporter, partner, "EXPORT", "DDS", period, value,
                "USD_MN", vintage)));
        Http.postBatch(batch).statusCode(202);
    }

    private static String key(String transition, String subscription) {
        return UUID.nameUUIDFromBytes((transition + "|" + subscription).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void createTopic(String name) throws Exception {
        io.dtm.support.KafkaBroker.createTopics(io.dtm.support.KafkaBroker.bootstrapServers(),
                List.of(new org.apache.kafka.clients.admin.NewTopic(name, 1, (short) 1)));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
