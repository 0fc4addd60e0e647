package io.dtm.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.dtm.support.KafkaResource;
import io.dtm.support.TestAuth;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code dtm.security.anonymous-read=true}: the GETs answer without credentials, nothing else does. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@TestProfile(AnonymousReadIT.Profile.class)
class AnonymousReadIT {

    /** The test profile's settings plus anonymous reads. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dtm.security.anonymous-read", "true");
        }
    }


    @BeforeEach
    void withoutCredentials() {
        TestAuth.withoutDefault();
    }

    @AfterEach
    void restoreDefaults() {
        TestAuth.withDefault();
    }

    @Test
    void shouldOpenTheReadsAndKeepTheWritesClosed() {
        Awaitility.await().untilAsserted(() -> given().get("/api/v1/alert-rules").then().statusCode(200));
        given().get("/api/v1/models").then().statusCode(200);
        given().get("/api/v1/subscriptions").then().statusCode(200);
        given().contentType("application/cloudevents+json").body("{}").post("/api/v1/events").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        given().delete("/api/v1/alert-rules/consistency-gap").then().statusCode(401);
        given().contentType("application/json").body("{}").put("/api/v1/subscriptions/anonymous").then()
                .statusCode(401);
    }
}
