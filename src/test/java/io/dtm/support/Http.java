package io.dtm.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;

/** Posts CloudEvents to the service under test. */
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
}
