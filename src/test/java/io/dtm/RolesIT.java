package io.dtm;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.dtm.support.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An instance of the ingest role alone answers the other roles' endpoints with a problem naming the role. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@TestProfile(RolesIT.IngestOnly.class)
class RolesIT {

    /** {@code dtm.roles=ingest}. */
    public static class IngestOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dtm.roles", "ingest");
        }
    }

    @Test
    void shouldAnswerTheEndpointsOfRolesItDoesNotRunWith404RoleNotRunning() {
        Map<String, String> roleOf = Map.of("/api/v1/indicators", "indicators", "/api/v1/models/drivers", "model",
                "/api/v1/models/drivers/windows", "model", "/api/v1/alerts", "alerts", "/api/v1/alert-rules", "alerts",
                "/api/v1/alert-rules/china-dds-growth-low", "alerts");
        roleOf.forEach((path, role) -> given().get(path).then().statusCode(404)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:dtm:problem:role-not-running"))
                .body("detail", equalTo("this instance does not run the " + role + " role (dtm.roles)"))
                .body("instance", equalTo(path)));
        given().contentType("application/json").body("{\"source\": \"indicator\"}")
                .put("/api/v1/alert-rules/some-rule").then().statusCode(404)
                .body("type", equalTo("urn:dtm:problem:role-not-running"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("dtm_events_received_total"))
                .body(not(containsString("dtm_notifications_total")));
    }
}
