package io.dtm.alerts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.streams.Topics;
import io.dtm.support.KafkaResource;
import io.dtm.support.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/subscriptions} against the real broker: the compacted topic is the system of record. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class SubscriptionsResourceTest {

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
            assertTrue(new String(record.value(), StandardCharsets.UTF_8).contains("\"secret\""),
                    "the system of record keeps the secret to sign with");
        }
        given().contentType("application/json").body(WEBHOOK).put("/api/v1/subscriptions/team-a").then()
                .statusCode(200);
        given().delete("/api/v1/subscriptions/team-a").then().statusCode(204);
        given().get("/api/v1/subscriptions/team-a").then().statusCode(404)
                .contentType(containsString("application/problem+json"));
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
