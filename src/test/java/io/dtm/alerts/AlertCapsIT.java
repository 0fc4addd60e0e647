package io.dtm.alerts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dtm.support.Http;
import io.dtm.support.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code dtm.alerts.max-rules} and {@code dtm.alerts.max-subscriptions}: a new rule or subscription past the cap is
 * refused with 409; replacing one is not. The broker is shared with other test classes, so each test first counts
 * what is there and fills up to the cap.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@TestProfile(AlertCapsIT.SmallCaps.class)
class AlertCapsIT {

    static final int MAX_RULES = 12;
    static final int MAX_SUBSCRIPTIONS = 4;

    public static class SmallCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dtm.alerts.max-rules", Integer.toString(MAX_RULES),
                    "dtm.alerts.max-subscriptions", Integer.toString(MAX_SUBSCRIPTIONS));
        }
    }

    private static final String RULE = """
            {"source": "indicator", "severity": "info", "entry": "trade-yoy-growth", "reporter": "BRN",
             "op": ">", "threshold": 50}""";
    private static final String SUBSCRIPTION = """
            {"channel": "kafka", "target": "dtm-notify.caps"}""";

    @Test
    void shouldRefuseANewRulePastTheCapButReplaceAnExistingOne() {
        Http.awaitAlertRulesLoaded();
        int there = given().get("/api/v1/alert-rules").then().statusCode(200).extract().path("size()");
        List<String> created = new ArrayList<>();
        try {
            for (int i = there; i < MAX_RULES; i++) {
                String id = "cap-rule-" + i;
                given().contentType("application/json").body(RULE).put("/api/v1/alert-rules/" + id).then()
                        .statusCode(201);
                created.add(id);
            }
            given().contentType("application/json").body(RULE).put("/api/v1/alert-rules/cap-rule-one-more").then()
                    .statusCode(409).contentType(containsString("application/problem+json"))
                    .body("type", equalTo("urn:dtm:problem:too-many-rules"))
                    .body("detail", containsString("dtm.alerts.max-rules"));
            given().get("/api/v1/alert-rules/cap-rule-one-more").then().statusCode(404);
            String existing = given().get("/api/v1/alert-rules").then().extract().path("[0].id");
            String replacement = given().get("/api/v1/alert-rules/" + existing).then().extract().asString();
            given().contentType("application/json").body(replacement).put("/api/v1/alert-rules/" + existing).then()
                    .statusCode(200);
        } finally {
            created.forEach(id -> given().delete("/api/v1/alert-rules/" + id).then().statusCode(204));
        }
    }

    @Test
    void shouldRefuseANewSubscriptionPastTheCapButReplaceAnExistingOne() {
        Http.awaitSubscriptionsLoaded();
        int there = given().get("/api/v1/subscriptions").then().statusCode(200).extract().path("size()");
        List<String> created = new ArrayList<>();
        try {
            for (int i = there; i < MAX_SUBSCRIPTIONS; i++) {
                String id = "cap-subscription-" + i;
                given().contentType("application/json").body(SUBSCRIPTION).put("/api/v1/subscriptions/" + id).then()
                        .statusCode(201);
                created.add(id);
            }
            given().contentType("application/json").body(SUBSCRIPTION)
                    .put("/api/v1/subscriptions/cap-subscription-one-more").then().statusCode(409)
                    .contentType(containsString("application/problem+json"))
                    .body("type", equalTo("urn:dtm:problem:too-many-subscriptions"));
            given().get("/api/v1/subscriptions/cap-subscription-one-more").then().statusCode(404);
            // one whose GET can be sent back as it is (a webhook's secret is never shown)
            String existing = given().get("/api/v1/subscriptions").then().extract()
                    .path("find { it.channel != 'webhook' }.id");
            String kept = given().get("/api/v1/subscriptions/" + existing).then().statusCode(200).extract().asString();
            given().contentType("application/json").body(kept).put("/api/v1/subscriptions/" + existing).then()
                    .statusCode(200);
        } finally {
            created.forEach(id -> given().delete("/api/v1/subscriptions/" + id).then().statusCode(204));
        }
    }
}
