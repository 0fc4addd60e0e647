package io.dtm.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;

/** Posts CloudEvents to the service under test, and waits for what it serves. */
public final class Http {

    private Http() {
    }

    /** {@code POST /api/v1/events} with a structured-mode event or a batch (by content type). */
    public static ValidatableResponse post(String contentType, Object body) {
        return given().contentType(contentType).body(body.toString()).post("/api/v1/events").then();
    }

    public static ValidatableResponse postEvent(Object event) {
        return post("application/cloudevents+json", event);
    }

    public static ValidatableResponse postBatch(Object events) {
        return post("application/cloudevents-batch+json", events);
    }

    /**
     * Waits until {@code /api/v1/alert-rules} is served: until then it answers 503 with {@code Retry-After} and the
     * problem {@code rules-not-loaded}, never a partial list.
     */
    public static void awaitAlertRulesLoaded() {
        awaitAlertRulesLoaded(TestAuth.ALL);
    }

    /** {@link #awaitAlertRulesLoaded()}, asked with the API key {@code token}. */
    public static void awaitAlertRulesLoaded(String token) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            var response = given().header("Authorization", TestAuth.bearer(token)).get("/api/v1/alert-rules");
            if (response.statusCode() == 503) {
                response.then().header("Retry-After", org.hamcrest.Matchers.equalTo("1"))
                        .body("type", org.hamcrest.Matchers.equalTo("urn:dtm:problem:rules-not-loaded"));
            }
            return response.statusCode() == 200;
        });
    }

    /**
     * Waits until {@code /api/v1/subscriptions} is served: until its table is restored it answers 503 with
     * {@code Retry-After} and the problem {@code store-not-ready}.
     */
    public static void awaitSubscriptionsLoaded() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            var response = given().get("/api/v1/subscriptions");
            if (response.statusCode() == 503) {
                response.then().header("Retry-After", org.hamcrest.Matchers.equalTo("2"))
                        .body("type", org.hamcrest.Matchers.equalTo("urn:dtm:problem:store-not-ready"));
            }
            return response.statusCode() == 200;
        });
    }
}
