package io.dtm.imports;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dtm.support.KafkaResource;
import io.dtm.support.ScrapedMetrics;
import io.dtm.support.TopicReader;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Sources followed on a schedule, against a local server answering recorded World Bank API pages: a 503 retried, two
 * pages imported as one publication, a 304 to the conditional request, a new vintage imported again, and an error
 * answered with status 200 counted as a failure.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@TestProfile(SourcesIT.Profile.class)
class SourcesIT {

    /** One page of the World Bank API v2 answer for IT.NET.USER.ZS in 2021. */
    static String page(int page, String lastUpdated, String iso3, String value) {
        return "[{\"page\":" + page + ",\"pages\":2,\"per_page\":1,\"total\":2,\"sourceid\":\"2\",\"sourcename\":"
                + "\"World Development Indicators\",\"lastupdated\":\"" + lastUpdated + "\"},[{\"indicator\":{\"id\":"
                + "\"IT.NET.USER.ZS\",\"value\":\"Individuals using the Internet (% of population)\"},\"country\":"
                + "{\"id\":\"XX\",\"value\":\"x\"},\"countryiso3code\":\"" + iso3 + "\",\"date\":\"2021\",\"value\":"
                + value + ",\"unit\":\"\",\"obs_status\":\"\",\"decimal\":1}]]";
    }

    static final String ERROR = "[{\"message\":[{\"id\":\"120\",\"key\":\"Invalid value\",\"value\":"
            + "\"The provided parameter value is not valid\"}]}]";

    /** The local publisher: what it answers next, and the requests it saw. */
    public static final class Publisher implements QuarkusTestResourceLifecycleManager {
        static final AtomicInteger UNAVAILABLE = new AtomicInteger(1);
        static volatile String lastUpdated = "2026-06-30";
        static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/v2/country/all/indicator/IT.NET.USER.ZS", this::worldBank);
            server.createContext("/v2/bad", exchange -> send(exchange, 200, ERROR, null));
            server.start();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            return Map.of(
                    "dtm.sources.wdi.url", base + "/v2/country/all/indicator/IT.NET.USER.ZS?format=json&date=2021",
                    "dtm.sources.wdi-bad.url", base + "/v2/bad?format=json");
        }

        private void worldBank(HttpExchange exchange) throws IOException {
            String query = exchange.getRequestURI().getQuery();
            String etag = "\"" + lastUpdated + "\"";
            REQUESTS.add(query + " If-None-Match=" + exchange.getRequestHeaders().getFirst("If-None-Match"));
            if (query.contains("page=2")) {
                send(exchange, 200, page(2, lastUpdated, "LAO", "60.1"), etag);
            } else if (UNAVAILABLE.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, 503, "busy", null);
            } else if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.sendResponseHeaders(304, -1);
                exchange.close();
            } else {
                send(exchange, 200, page(1, lastUpdated, "KHM", "2026-06-30".equals(lastUpdated) ? "56.7" : "57.2"),
                        etag);
            }
        }

        private static void send(HttpExchange exchange, int status, String body, String etag) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (etag != null) {
                exchange.getResponseHeaders().add("ETag", etag);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    /** Two sources on the local publisher; fetched by the test, not by the schedule. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dtm.sources.wdi.dataset", "wdi-api", "dtm.sources.wdi.initial-delay", "PT1H",
                    "dtm.sources.wdi.initial-backoff", "PT0.1S", "dtm.sources.wdi.max-retries", "2",
                    "dtm.sources.wdi-bad.dataset", "wdi-api", "dtm.sources.wdi-bad.initial-delay", "PT1H",
                    "dtm.sources.wdi-bad.initial-backoff", "PT0.1S", "dtm.sources.wdi-bad.stale-after", "PT36H");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Publisher.class));
        }
    }

    @Inject
    Sources sources;

    private static double metric(String name, String source) {
        return ScrapedMetrics.scrape().value(name, "source", source);
    }

    @Test
    void shouldImportNewVintagesOnlyAndCountFailures() {
        assertEquals(0.0, metric("dtm_source_failures_total", "wdi"));
        assertEquals(0.0, metric("dtm_source_last_success_timestamp_seconds", "wdi"));
        assertEquals(0.0, metric("dtm_source_failures_total", "wdi-bad"));
        assertEquals(2 * 86400.0, metric("dtm_source_stale_after_seconds", "wdi"), "the default stale-after");
        assertEquals(36 * 3600.0, metric("dtm_source_stale_after_seconds", "wdi-bad"), "the configured one");

        // a 503, retried; both pages imported as one publication
        assertEquals(Sources.Outcome.IMPORTED, sources.fetch("wdi"));
        assertEquals(1.0, metric("dtm_source_failures_total", "wdi"), "the 503");
        double success = metric("dtm_source_last_success_timestamp_seconds", "wdi");
        assertTrue(success > 1.7e9, "last success " + success);
        var first = given().get("/api/v1/imports").then().statusCode(200).extract().jsonPath();
        assertEquals("wdi-api", first.getString("[0].dataset"), first.prettify());
        assertEquals("done", first.getString("[0].state"), first.prettify());
        assertEquals("2026-06-30", first.getString("[0].vintage"));
        assertEquals(2, first.getLong("[0].rows.published"), first.prettify());
        try (var observations = new TopicReader<>("dtm.observations.v1", new StringDeserializer(),
                new ByteArrayDeserializer())) {
            observations.await(r -> "compute|LAO|||INTERNET_USERS_PCT|2021".equals(r.key()) && r.value() != null
                    && new String(r.value(), StandardCharsets.UTF_8).contains("60.1"), Duration.ofSeconds(60));
        }

        // the conditional request gets 304: nothing imported
        assertEquals(Sources.Outcome.NOT_MODIFIED, sources.fetch("wdi"));
        assertTrue(Publisher.REQUESTS.get(Publisher.REQUESTS.size() - 1).endsWith("If-None-Match=\"2026-06-30\""),
                Publisher.REQUESTS.toString());
        assertEquals(1, given().get("/api/v1/imports").then().extract().jsonPath().getList("$").size());

        // a new vintage: imported again
        Publisher.lastUpdated = "2026-07-15";
        assertEquals(Sources.Outcome.IMPORTED, sources.fetch("wdi"));
        var second = given().get("/api/v1/imports").then().statusCode(200).extract().jsonPath();
        assertEquals(2, second.getList("$").size(), second.prettify());
        assertEquals("2026-07-15", second.getString("[0].vintage"));
        assertEquals(2, second.getLong("[0].rows.published"), second.prettify());
        assertEquals(1.0, metric("dtm_source_failures_total", "wdi"));

        // an error answered with 200: one failure, not retried, and no import
        Sources.Refused refused = assertThrows(Sources.Refused.class, () -> sources.fetch("wdi-bad"));
        assertTrue(refused.getMessage().contains("120 Invalid value"), refused.getMessage());
        assertEquals(1.0, metric("dtm_source_failures_total", "wdi-bad"));
        assertEquals(0.0, metric("dtm_source_last_success_timestamp_seconds", "wdi-bad"));
        assertEquals(2, given().get("/api/v1/imports").then().extract().jsonPath().getList("$").size());
    }
}
