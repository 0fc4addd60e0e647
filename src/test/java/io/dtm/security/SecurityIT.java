package io.dtm.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.Feed;
import io.dtm.support.Http;
import io.dtm.support.KafkaResource;
import io.dtm.support.TestAuth;
import io.dtm.support.TestEvents;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may do what on {@code /api/v1}, against the running service: every endpoint without credentials (401 with
 * {@code WWW-Authenticate}), with each role (403 where it lacks the role, the endpoint's own answer where it has
 * it), with API keys and with JWTs, and subscriptions owned by the principal that created them.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class SecurityIT {

    private static final String ISSUER = "https://issuer.dtm.test";
    private static final String RULE = """
            {"source": "indicator", "severity": "warning", "description": "security test rule",
             "entry": "trade-yoy-growth", "op": ">", "threshold": 50}""";
    private static final String WEBHOOK = """
            {"channel": "webhook", "target": "http://127.0.0.1:9/hook", "secret": "0123456789abcdef-secret"}""";

    /** A World Bank bulk file of one figure, for the imports. */
    private static final String PUBLICATION = "\"Data Source\",\"World Development Indicators\",\n"
            + "\"Last Updated Date\",\"2026-07-13\",\n"
            + "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2020\",\n"
            + "\"Lao PDR\",\"LAO\",\"Individuals using the Internet (% of population)\",\"IT.NET.USER.ZS\",\"55.7\",\n";

    /** One request of the API, and the roles that may make it. */
    private record Call(String method, String path, String contentType, String body, Set<String> roles) {

        Response send(RequestSpecification spec) {
            RequestSpecification r = spec;
            if (contentType != null) {
                r = r.contentType(contentType).body(body);
            }
            return r.request(method, path);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }


    @BeforeEach
    void withoutDefaultCredentials() {
        TestAuth.withoutDefault();
        Http.awaitAlertRulesLoaded(TestAuth.ALL);
    }

    @AfterEach
    void restoreDefaults() {
        TestAuth.withDefault();
    }

    private static List<Call> calls() {
        String event = TestEvents.structured(Feed.TRADE, "urn:test:security", UUID.randomUUID().toString(),
                TestEvents.tradeData("JPN", "WLD", "EXPORT", "SERVICES", "2019", 1.0, "USD", "2020-01-01")).toString();
        String rule = "security-" + UUID.randomUUID().toString().substring(0, 8);
        String sub = "security-" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> reading = Set.of(Roles.READER);
        return List.of(
                new Call("POST", "/api/v1/events", "application/cloudevents+json", event, Set.of(Roles.PUBLISHER)),
                new Call("POST", "/api/v1/imports", "text/csv", PUBLICATION, Set.of(Roles.PUBLISHER)),
                new Call("GET", "/api/v1/imports", null, null, Set.of(Roles.READER, Roles.PUBLISHER)),
                new Call("GET", "/api/v1/indicators", null, null, reading),
                new Call("GET", "/api/v1/indicators/no-such-entry:JPN:WLD:EXPORT:SERVICES/history", null, null,
                        reading),
                new Call("GET", "/api/v1/models", null, null, reading),
                new Call("GET", "/api/v1/models/drivers", null, null, reading),
                new Call("GET", "/api/v1/models/drivers/history", null, null, reading),
                new Call("GET", "/api/v1/models/drivers/windows", null, null, reading),
                new Call("GET", "/api/v1/alerts", null, null, reading),
                new Call("GET", "/api/v1/alert-rules", null, null, Set.of(Roles.READER, Roles.OPERATOR)),
                new Call("GET", "/api/v1/alert-rules/consistency-gap", null, null,
                        Set.of(Roles.READER, Roles.OPERATOR)),
                new Call("PUT", "/api/v1/alert-rules/" + rule, "application/json", RULE, Set.of(Roles.OPERATOR)),
                new Call("DELETE", "/api/v1/alert-rules/" + rule, null, null, Set.of(Roles.OPERATOR)),
                new Call("GET", "/api/v1/subscriptions", null, null,
                        Set.of(Roles.READER, Roles.OPERATOR, Roles.SUBSCRIBER)),
                new Call("PUT", "/api/v1/subscriptions/" + sub, "application/json", WEBHOOK,
                        Set.of(Roles.OPERATOR, Roles.SUBSCRIBER)),
                new Call("GET", "/api/v1/subscriptions/" + sub, null, null,
                        Set.of(Roles.READER, Roles.OPERATOR, Roles.SUBSCRIBER)),
                new Call("DELETE", "/api/v1/subscriptions/" + sub, null, null,
                        Set.of(Roles.OPERATOR, Roles.SUBSCRIBER)));
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", TestAuth.bearer(token));
    }

    @Test
    void shouldAnswer401WithAChallengeToEveryCallWithoutValidCredentials() {
        List<String> wrong = new ArrayList<>();
        for (Call call : calls()) {
            for (RequestSpecification spec : List.of(given(), as("dtm_not_a_key"), given().header("Authorization",
                    "Basic dXNlcjpwYXNz"), as(jwt(Set.of(Roles.READER, Roles.PUBLISHER, Roles.OPERATOR),
                            otherKey(), ISSUER, "dtm", Instant.now().plusSeconds(300))))) {
                Response r = call.send(spec);
                if (r.statusCode() != 401 || !"Bearer realm=\"dtm\"".equals(r.header("WWW-Authenticate"))
                        || !r.contentType().startsWith("application/problem+json")) {
                    wrong.add(call + " → " + r.statusCode() + " " + r.header("WWW-Authenticate"));
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void shouldLetEachRoleDoExactlyWhatItIsFor() {
        record Key(String token, String role) {
        }
        List<Key> keys = List.of(new Key(TestAuth.PUBLISHER, Roles.PUBLISHER), new Key(TestAuth.OPERATOR,
                Roles.OPERATOR), new Key(TestAuth.SUBSCRIBER_A, Roles.SUBSCRIBER), new Key(TestAuth.READER,
                        Roles.READER));
        List<String> wrong = new ArrayList<>();
        for (Key key : keys) {
            for (Call call : calls()) { // in order: each PUT is followed by the GET and DELETE of what it made
                Response r = call.send(as(key.token()));
                boolean allowed = call.roles().contains(key.role());
                int status = r.statusCode();
                boolean ok = allowed ? status >= 200 && status < 300 || status == 404 && call.method().equals("GET")
                        : status == 403 && r.contentType().startsWith("application/problem+json");
                if (!ok) {
                    wrong.add(key.role() + ": " + call + " → " + status);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void shouldServeTheAllowedCallsTheirOwnAnswer() {
        as(TestAuth.PUBLISHER).contentType("application/cloudevents+json").body(calls().get(0).body())
                .post("/api/v1/events").then().statusCode(202);
        as(TestAuth.READER).get("/api/v1/alert-rules/consistency-gap").then().statusCode(200)
                .body("id", equalTo("consistency-gap"));
        as(TestAuth.OPERATOR).contentType("application/json").body(RULE).put("/api/v1/alert-rules/by-operator")
                .then().statusCode(201);
        as(TestAuth.OPERATOR).delete("/api/v1/alert-rules/by-operator").then().statusCode(204);
    }

    @Test
    void shouldKeepASubscribersSubscriptionsItsOwn() {
        String id = "owned-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/v1/subscriptions/" + id;
        as(TestAuth.SUBSCRIBER_A).contentType("application/json").body(WEBHOOK).put(path).then().statusCode(201)
                .body("owner", equalTo("subscriber-a"));
        as(TestAuth.SUBSCRIBER_A).get(path).then().statusCode(200);
        as(TestAuth.SUBSCRIBER_A).get("/api/v1/subscriptions").then().statusCode(200).body("id", hasItem(id));

        as(TestAuth.SUBSCRIBER_B).get(path).then().statusCode(404)
                .contentType(containsString("application/problem+json"));
        as(TestAuth.SUBSCRIBER_B).get("/api/v1/subscriptions").then().statusCode(200).body("id", not(hasItem(id)));
        as(TestAuth.SUBSCRIBER_B).contentType("application/json").body(WEBHOOK).put(path).then().statusCode(404);
        as(TestAuth.SUBSCRIBER_B).delete(path).then().statusCode(404);
        as(TestAuth.SUBSCRIBER_A).get(path).then().statusCode(200).body("owner", equalTo("subscriber-a"));

        as(TestAuth.READER).get(path).then().statusCode(200);
        as(TestAuth.OPERATOR).contentType("application/json").body(WEBHOOK).put(path).then().statusCode(200)
                .body("owner", equalTo("subscriber-a"));
        as(TestAuth.SUBSCRIBER_A).delete(path).then().statusCode(204);
        as(TestAuth.OPERATOR).get(path).then().statusCode(404);
    }

    @Test
    void shouldAcceptAJwtOfTheConfiguredIssuerAndRefuseOthers() throws Exception {
        PrivateKey key = KeyUtils.readPrivateKey("jwt/private-key.pem");
        Instant later = Instant.now().plusSeconds(300);
        as(jwt(Set.of(Roles.READER), key, ISSUER, "dtm", later)).get("/api/v1/alert-rules").then().statusCode(200);
        as(jwt(Set.of(Roles.READER), key, ISSUER, "dtm", later)).contentType("application/json").body(RULE)
                .put("/api/v1/alert-rules/by-jwt").then().statusCode(403);
        as(jwt(Set.of(Roles.OPERATOR), key, ISSUER, "dtm", later)).contentType("application/json").body(RULE)
                .put("/api/v1/alert-rules/by-jwt").then().statusCode(201);
        as(jwt(Set.of(Roles.OPERATOR), key, ISSUER, "dtm", later)).delete("/api/v1/alert-rules/by-jwt").then()
                .statusCode(204);

        for (String refused : List.of(
                jwt(Set.of(Roles.READER), otherKey(), ISSUER, "dtm", later),
                jwt(Set.of(Roles.READER), key, ISSUER, "dtm", Instant.now().minusSeconds(600)),
                jwt(Set.of(Roles.READER), key, ISSUER, "another-service", later),
                jwt(Set.of(Roles.READER), key, "https://issuer.elsewhere.test", "dtm", later))) {
            as(refused).get("/api/v1/alert-rules").then().statusCode(401)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .contentType(containsString("application/problem+json"));
        }
    }

    @Test
    void shouldLeaveMetricsAndHealthOpenToScrapersAndProbes() {
        for (String path : List.of("/q/metrics", "/q/health/live", "/q/health/ready")) {
            Awaitility.await().untilAsserted(() -> given().get(path).then().statusCode(200));
            as("dtm_not_a_key").get(path).then().statusCode(200);
        }
    }

    @Test
    void shouldNeverAcceptAKeyFromItsHash() {
        ApiKeyHash hash = ApiKeyHash.parse(ApiKeyHash.of("dtm_some_key"));
        assertTrue(hash.matches("dtm_some_key"));
        assertFalse(hash.matches("dtm_some_kez"));
        as(ApiKeyHash.of(TestAuth.ALL)).get("/api/v1/alert-rules").then().statusCode(401);
    }

    private static String jwt(Set<String> groups, PrivateKey key, String issuer, String audience, Instant expires) {
        return Jwt.issuer(issuer).audience(audience).upn("jwt-user").groups(groups)
                .issuedAt(expires.minusSeconds(900)).expiresAt(expires).sign(key);
    }

    private static PrivateKey otherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
