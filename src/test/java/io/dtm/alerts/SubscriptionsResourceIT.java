package io.dtm.alerts;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.streams.JsonSerde;
import io.dtm.streams.Topics;
import io.dtm.support.KafkaBroker;
import io.dtm.support.KafkaResource;
import io.dtm.support.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/subscriptions} against the real broker: the compacted topic is the system of record. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class SubscriptionsResourceIT {

    @Inject
    SubscriptionStore store;

    private static final String WEBHOOK = """
            {"channel": "webhook", "target": "http://127.0.0.1:9/hook", "severities": ["warning"],
             "labels": {"reporter": "CHN"}, "secret": "0123456789abcdef-secret"}""";

    @Test
    void shouldStoreASubscriptionInItsTopicAndNeverReturnTheSecret() {
        given().contentType("application/json").body(WEBHOOK).put("/api/v1/subscriptions/team-a").then()
                .statusCode(201).body("id", equalTo("team-a")).body("secret", nullValue());
        given().get("/api/v1/subscriptions/team-a").then().statusCode(200)
                .body("target", equalTo("http://127.0.0.1:9/hook")).body("secret", nullValue())
                .body(not(containsString("0123456789abcdef")));
        given().get("/api/v1/subscriptions").then().statusCode(200).body("id", hasItems("team-a"));
        try (var topic = new TopicReader<>(Topics.SUBSCRIPTIONS.name(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            var record = topic.await(r -> "team-a".equals(r.key()) && r.value() != null, Duration.ofSeconds(30));
            String raw = new String(record.value(), StandardCharsets.UTF_8);
            assertFalse(raw.contains("0123456789abcdef"), "a reader of the topic sees no secret in clear: " + raw);
            assertFalse(indexOf(record.value(), "0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8)) >= 0);
            assertTrue(raw.contains("\"sealedSecret\":{\"keyId\":\"test-1\""), raw);
        }
        assertEquals("0123456789abcdef-secret", store.get("team-a").orElseThrow().secret(),
                "the service decrypts the secret to sign with");
        given().contentType("application/json").body(WEBHOOK).put("/api/v1/subscriptions/team-a").then()
                .statusCode(200);
        given().delete("/api/v1/subscriptions/team-a").then().statusCode(204);
        given().get("/api/v1/subscriptions/team-a").then().statusCode(404)
                .contentType(containsString("application/problem+json"));
    }

    @Test
    void shouldShowTheTargetWithItsCredentialsRedacted() {
        given().contentType("application/json").body("""
                {"channel": "webhook", "target": "http://bot:pa55@127.0.0.1:9/hook?token=t0k3n&team=a",
                 "secret": "0123456789abcdef-secret"}""").put("/api/v1/subscriptions/team-r").then()
                .statusCode(201).body("target", equalTo("http://***@127.0.0.1:9/hook?token=***&team=***"));
        given().get("/api/v1/subscriptions/team-r").then().statusCode(200)
                .body("target", equalTo("http://***@127.0.0.1:9/hook?token=***&team=***"))
                .body(not(containsString("t0k3n"))).body(not(containsString("pa55")));
        given().get("/api/v1/subscriptions").then().statusCode(200).body(not(containsString("t0k3n")));
        assertEquals("http://bot:pa55@127.0.0.1:9/hook?token=t0k3n&team=a",
                store.get("team-r").orElseThrow().target(), "delivery uses the real URL");
    }

    @Test
    void shouldSkipAndCountRecordsWhoseSecretDoesNotDecryptAndReadThoseOfARotatedKey() throws Exception {
        SecretCipher old = SecretCipher.fromConfig(ConfigProvider.getConfig().getValues("dtm.alerts.secret-keys",
                String.class), Optional.of("test-old")).orElseThrow();
        SecretCipher.Sealed rotated = old.seal("sealed-with-the-old-key", "team-rotated");
        SecretCipher.Sealed moved = old.seal("sealed-for-another-record", "team-other");
        SecretCipher.Sealed unknown = new SecretCipher.Sealed("gone", rotated.nonce(), rotated.ciphertext());
        double unknownBefore = skipped("unknown-key");
        double undecryptableBefore = skipped("undecryptable");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                KafkaBroker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS.name(), "team-unknown", raw("team-unknown",
                    unknown))).get();
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS.name(), "team-moved", raw("team-moved", moved)))
                    .get();
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS.name(), "team-rotated", raw("team-rotated",
                    rotated))).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get("team-rotated").isPresent());
        assertEquals("sealed-with-the-old-key", store.get("team-rotated").get().secret());
        given().get("/api/v1/subscriptions/team-unknown").then().statusCode(404);
        given().get("/api/v1/subscriptions/team-moved").then().statusCode(404);
        assertEquals(unknownBefore + 1, skipped("unknown-key"), 0.0);
        assertEquals(undecryptableBefore + 1, skipped("undecryptable"), 0.0);
        // the reader is still alive: a later write shows
        given().contentType("application/json").body(WEBHOOK).put("/api/v1/subscriptions/team-later").then()
                .statusCode(201);
        given().get("/api/v1/subscriptions/team-later").then().statusCode(200);
    }

    @Test
    void shouldLeaveOutAndDeadLetterRecordsThatAreNotSubscriptionsOfTheirKey() throws Exception {
        given().contentType("application/json").body(WEBHOOK).put("/api/v1/subscriptions/team-spoiled").then()
                .statusCode(201);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                KafkaBroker.bootstrapServers()), new StringSerializer(), new StringSerializer());
                var dlq = new TopicReader<>(Topics.DLQ.name(), new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS.name(), "team-spoiled", "{not json")).get();
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS.name(), "team-alias", """
                    {"id": "team-other", "channel": "kafka", "target": "dtm-notify.x"}""")).get();
            var unreadable = dlq.await(r -> "team-spoiled".equals(r.key()), Duration.ofSeconds(30));
            assertEquals("deserialization", header(unreadable.headers(), "dtm.error.reason"));
            assertEquals(Topics.SUBSCRIPTIONS.name(), header(unreadable.headers(), "dtm.source.topic"));
            var alias = dlq.await(r -> "team-alias".equals(r.key()), Duration.ofSeconds(30));
            assertEquals("processing", header(alias.headers(), "dtm.error.reason"));
            assertTrue(header(alias.headers(), "dtm.error.detail").contains("its id is team-other"),
                    header(alias.headers(), "dtm.error.detail"));
        }
        given().get("/api/v1/subscriptions/team-spoiled").then().statusCode(404);
        given().get("/api/v1/subscriptions/team-alias").then().statusCode(404);
        given().get("/api/v1/subscriptions").then().statusCode(200)
                .body("id", not(hasItems("team-spoiled"))).body("id", not(hasItems("team-alias")));
    }

    private static String header(org.apache.kafka.common.header.Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static String raw(String id, SecretCipher.Sealed sealed) throws Exception {
        return JsonSerde.MAPPER.writeValueAsString(Map.of("id", id, "channel", "webhook", "target",
                "http://127.0.0.1:9/hook", "createdAt", 1L, "sealedSecret", sealed));
    }

    private static double skipped(String reason) {
        String line = given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("dtm_subscriptions_skipped_total{reason=\"" + reason + "\"}"))
                .findFirst().orElseThrow(() -> new AssertionError("no dtm_subscriptions_skipped_total for " + reason));
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void shouldNameEveryBadFieldAndRefuseTargetsOnPrivateAddresses() {
        given().contentType("application/json")
                .body("{\"channel\": \"pager\", \"severities\": [\"urgent\"]}")
                .put("/api/v1/subscriptions/team-b").then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("errors.field", hasItems("channel", "severities[0]"));
        given().contentType("application/json")
                .body("{\"channel\": \"webhook\", \"target\": \"http://10.0.0.7/hook\", "
                        + "\"secret\": \"0123456789abcdef-secret\"}")
                .put("/api/v1/subscriptions/team-c").then().statusCode(400)
                .body("errors[0].field", equalTo("target"))
                .body("errors[0].detail", containsString("private"));
        given().get("/api/v1/subscriptions/team-c").then().statusCode(404);
        given().contentType("application/json").body("{\"channel\": ").put("/api/v1/subscriptions/team-d").then()
                .statusCode(400).contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:dtm:problem:malformed-json"));
    }

    @Test
    void shouldRefuseUnknownFieldsNullsInListsAndMistypedFields() {
        given().contentType("application/json").body(WEBHOOK.replace("\"labels\"", "\"lables\""))
                .put("/api/v1/subscriptions/team-e").then().statusCode(400)
                .body("errors[0].field", equalTo("lables")).body("errors[0].detail", containsString("unknown"));
        given().contentType("application/json").body(WEBHOOK.replace("[\"warning\"]", "[\"warning\", null]"))
                .put("/api/v1/subscriptions/team-e").then().statusCode(400)
                .body("errors[0].field", equalTo("severities[1]"));
        given().contentType("application/json").body(WEBHOOK.replace("\"CHN\"", "null"))
                .put("/api/v1/subscriptions/team-e").then().statusCode(400)
                .body("errors[0].field", equalTo("labels.reporter"));
        given().contentType("application/json").body(WEBHOOK.replace("\"webhook\"", "5"))
                .put("/api/v1/subscriptions/team-e").then().statusCode(400)
                .body("errors[0].field", equalTo("channel")).body("errors[0].detail", containsString("a string"));
        given().contentType("application/json").body(WEBHOOK.replace("0123456789abcdef-secret", "s".repeat(1025)))
                .put("/api/v1/subscriptions/team-e").then().statusCode(400).body("errors[0].field", equalTo("secret"));
        given().get("/api/v1/subscriptions/team-e").then().statusCode(404);
    }

    /** Hostile bodies: each one is a 400 (or 415) problem, never a 500, and nothing is stored. */
    @Test
    void shouldAnswerEveryHostileBodyWithAProblem() {
        String deep = "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
        for (String body : new String[] {"", "null", "[1, 2]", "42", "\"webhook\"", deep,
                "{\"labels\": " + deep + "}", WEBHOOK.replace("[\"warning\"]", "1e400"),
                WEBHOOK.replace("\"CHN\"", "99999999999999999999999"), WEBHOOK.replace("\"CHN\"", "[\"CHN\"]"),
                "{\"channel\": \"kafka\", \"createdAt\": \"yesterday\"}"}) {
            given().contentType("application/json").body(body).put("/api/v1/subscriptions/hostile").then()
                    .statusCode(400).contentType(containsString("application/problem+json"));
        }
        given().contentType("text/plain").body(WEBHOOK).put("/api/v1/subscriptions/hostile").then()
                .statusCode(415).contentType(containsString("application/problem+json"));
        given().get("/api/v1/subscriptions/hostile").then().statusCode(404);
    }

    @Test
    void shouldCopyToKafkaTopicsOnlyUnderTheConfiguredPrefix() {
        for (String topic : new String[] {"team-a.alerts", "dtm.alerts.v1", "__consumer_offsets",
                "dtm-alerts-indicators-ingest-model-alert-state-store-changelog"}) {
            given().contentType("application/json").body("{\"channel\": \"kafka\", \"target\": \"" + topic + "\"}")
                    .put("/api/v1/subscriptions/team-f").then().statusCode(400)
                    .body("errors[0].field", equalTo("target"));
        }
        given().contentType("application/json").body("{\"channel\": \"kafka\", \"target\": \"dtm-notify.team-f\"}")
                .put("/api/v1/subscriptions/team-f").then().statusCode(201);
        given().delete("/api/v1/subscriptions/team-f").then().statusCode(204);
    }
}
