package io.dtm.alerts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.streams.Topics;
import io.dtm.support.Http;
import io.dtm.support.KafkaResource;
import io.dtm.support.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/alert-rules} against the real broker: the compacted topic is the system of record. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class AlertRulesResourceIT {

    private static final String RULE = """
            {"source": "indicator", "severity": "info", "entry": "trade-yoy-growth", "reporter": "MMR",
             "op": ">", "threshold": 50, "clear": 40, "forPeriods": 2}""";

    @BeforeEach
    void rulesLoaded() {
        Http.awaitAlertRulesLoaded();
    }

    @Test
    void shouldServeTheDefaultRulesWrittenToTheTopicAtFirstStart() {
        given().get("/api/v1/alert-rules").then().statusCode(200).body("id", hasItems("china-dds-growth-low",
                "rcep-differential-low", "openness-drop", "driver-significance-lost", "model-unstable", "driver-shift",
                "release-missing", "consistency-gap"));
        given().get("/q/metrics").then().body(containsString(
                "dtm_alerts_firing{rule=\"china-dds-growth-low\",severity=\"warning\"}"));
    }

    @Test
    void shouldCreateReplaceAndDeleteARuleInItsTopic() {
        given().contentType("application/json").body(RULE).put("/api/v1/alert-rules/mmr-growth-high").then()
                .statusCode(201).body("id", equalTo("mmr-growth-high")).body("forPeriods", equalTo(2));
        given().get("/api/v1/alert-rules/mmr-growth-high").then().statusCode(200).body("threshold", equalTo(50.0f));
        try (var topic = new TopicReader<>(Topics.ALERT_RULES.name(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            var record = topic.await(r -> "mmr-growth-high".equals(r.key()) && r.value() != null,
                    Duration.ofSeconds(30));
            assertTrue(new String(record.value(), StandardCharsets.UTF_8).contains("\"threshold\":50.0"));
        }
        given().contentType("application/json").body(RULE.replace("50", "60")).put("/api/v1/alert-rules/mmr-growth-high")
                .then().statusCode(200).body("threshold", equalTo(60.0f));
        given().delete("/api/v1/alert-rules/mmr-growth-high").then().statusCode(204);
        given().get("/api/v1/alert-rules/mmr-growth-high").then().statusCode(404)
                .contentType(containsString("application/problem+json"));
        try (var topic = new TopicReader<>(Topics.ALERT_RULES.name(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            assertNull(topic.await(r -> "mmr-growth-high".equals(r.key()) && r.value() == null,
                    Duration.ofSeconds(30)).value(), "a tombstone deletes the rule");
        }
        given().delete("/api/v1/alert-rules/mmr-growth-high").then().statusCode(404);
    }

    @Test
    void shouldNameEveryBadFieldAndStoreNothing() {
        given().contentType("application/json")
                .body("{\"source\": \"indicator\", \"severity\": \"urgent\", \"op\": \"~\", \"threshold\": 1}")
                .put("/api/v1/alert-rules/bad-rule").then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:dtm:problem:invalid-alert-rule"))
                .body("errors.field", hasItems("severity", "op"));
        given().contentType("application/json").body(RULE.replace("\"op\"", "\"opp\""))
                .put("/api/v1/alert-rules/bad-rule").then().statusCode(400)
                .body("errors[0].field", equalTo("opp")).body("errors[0].detail", containsString("unknown"));
        given().contentType("application/json").body("{\"threshold\": \"high\"}")
                .put("/api/v1/alert-rules/bad-rule").then().statusCode(400).body("errors[0].field", equalTo("threshold"));
        given().contentType("application/json").body("[1, 2]").put("/api/v1/alert-rules/bad-rule").then()
                .statusCode(400);
        given().contentType("application/json").body(RULE).put("/api/v1/alert-rules/Bad_Id").then().statusCode(400)
                .body("errors.field", hasItems("id"));
        given().get("/api/v1/alert-rules/bad-rule").then().statusCode(404);
    }

    @Test
    void shouldRefuseADurationThatWouldOverflowAndStoreNothing() {
        given().contentType("application/json").body("""
                {"source": "model", "severity": "warning", "model": "drivers", "measure": "stability_ratio",
                 "op": ">", "threshold": 1, "forDuration": "PT9999999999999999S"}""")
                .put("/api/v1/alert-rules/overflowing").then().statusCode(400)
                .body("errors.field", hasItems("forDuration"));
        given().contentType("application/json").body("""
                {"source": "release", "severity": "warning", "entry": "trade-yoy-growth", "due": "P9999Y"}""")
                .put("/api/v1/alert-rules/overflowing").then().statusCode(400).body("errors.field", hasItems("due"));
        given().get("/api/v1/alert-rules/overflowing").then().statusCode(404);
    }

    /** Hostile bodies: each one is a 400 (or 415) problem, never a 500, and nothing is stored. */
    @Test
    void shouldAnswerEveryHostileBodyWithAProblem() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        for (String body : new String[] {"", "null", "[1, 2]", "42", "\"rule\"", "{", deep,
                "{\"threshold\": " + deep + "}", RULE.replace("50", "1e400"), RULE.replace("2}", "1e400}"),
                RULE.replace("2}", "99999999999}"), RULE.replace("2}", "2.5}"), RULE.replace("\"MMR\"", "5"),
                RULE.replace("\"MMR\"", "[\"MMR\"]"), RULE.replace("\"MMR\"", "{\"a\": 1}"),
                RULE.replace("\"MMR\"", "null, \"terms\": [\"infra\", null]")}) {
            given().contentType("application/json").body(body).put("/api/v1/alert-rules/hostile").then()
                    .statusCode(400).contentType(containsString("application/problem+json"));
        }
        given().contentType("text/plain").body(RULE).put("/api/v1/alert-rules/hostile").then()
                .statusCode(415).contentType(containsString("application/problem+json"));
        given().contentType("application/json").body(RULE.replace("2}", "\"2\"}")).put("/api/v1/alert-rules/hostile")
                .then().statusCode(400).body("errors[0].field", equalTo("forPeriods"));
        given().contentType("application/json").body(RULE.replace("\"MMR\"", "5"))
                .put("/api/v1/alert-rules/hostile").then().statusCode(400)
                .body("errors[0].field", equalTo("reporter")).body("errors[0].detail", containsString("a string"));
        given().get("/api/v1/alert-rules/hostile").then().statusCode(404);
    }

    @Test
    void shouldListAtMost100ProblemsWithTheirCountAndEchoAtMost256Characters() {
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; i < 500; i++) {
            body.append("\"unknown").append(i).append("\": 1, ");
        }
        body.append("\"").append("x".repeat(50_000)).append("\": 1}");
        given().contentType("application/json").body(body.toString()).put("/api/v1/alert-rules/many-problems").then()
                .statusCode(400).body("errors.size()", equalTo(100)).body("errorCount", equalTo(501))
                .body("detail", containsString("501 problem(s)"));

        String id = "A".repeat(3_000); // within the 4 KiB request line of the HTTP server
        String answer = given().contentType("application/json").body(RULE.replace("\"info\"", "\"" + id + "\""))
                .put("/api/v1/alert-rules/" + id).then().statusCode(400).body("errors.field", hasItems("id", "severity"))
                .extract().asString();
        assertTrue(answer.length() < 3_000, answer.length() + " characters: " + answer.substring(0, 300));
        assertFalse(answer.contains("A".repeat(257)), "echoes at most 256 characters of a bad value");
    }
}
