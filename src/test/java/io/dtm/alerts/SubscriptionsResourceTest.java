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
                .body("errors.field", hasItems("channel", "severities"));
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
}
