package io.dtm.metrics;

import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.tradeData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dtm.events.Feed;
import io.dtm.support.Http;
import io.dtm.support.KafkaResource;
import io.dtm.support.PrometheusServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus scrapes the running service and answers {@code dtm_indicator_value} through its HTTP API.
 * Runs where the {@code prometheus} binary is present; with {@code DTM_REQUIRE_PROMETHEUS=1} (CI) a missing
 * binary fails the test instead of skipping it.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class PrometheusScrapeIT {

    @TestHTTPResource("/")
    URL service;

    @Test
    void shouldLetARealPrometheusScrapeTheIndicatorValue() throws Exception {
        Optional<Path> binary = PrometheusServer.findBinary();
        if (binary.isEmpty() && "1".equals(System.getenv("DTM_REQUIRE_PROMETHEUS"))) {
            fail("DTM_REQUIRE_PROMETHEUS=1 but no prometheus binary was found (apt-get install prometheus)");
        }
        Assumptions.assumeTrue(binary.isPresent(), "no prometheus binary here; CI requires it");

        String source = "urn:test:prometheus:" + UUID.randomUUID();
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        batch.add(structured(Feed.TRADE, source, "p1", tradeData("VNM", "WLD", "EXPORT", "DDS", "2022", 200,
                "USD_MN", "2023-06-01")));
        batch.add(structured(Feed.TRADE, source, "p2", tradeData("VNM", "WLD", "EXPORT", "DDS", "2023", 250,
                "USD_MN", "2024-06-01")));
        Http.postBatch(batch).statusCode(202);

        Path workDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "prometheus-");
        try (PrometheusServer prometheus = PrometheusServer.start(binary.get(),
                "127.0.0.1:" + service.getPort(), "/q/metrics", Duration.ofSeconds(1), workDir)) {
            JsonNode result = prometheus.awaitResult("dtm_indicator_value{indicator=\"yoy_growth_pct\","
                    + "reporter=\"VNM\",partner=\"WLD\",flow=\"EXPORT\",category=\"DDS\"}", Duration.ofSeconds(90));
            assertEquals(1, result.size());
            assertEquals(25.0, Double.parseDouble(result.get(0).get("value").get(1).asText()), 1e-9);
            assertEquals("trade-yoy-growth", result.get(0).get("metric").get("id").asText());
            assertEquals("false", result.get(0).get("metric").get("synthetic").asText());

            JsonNode received = prometheus.awaitResult("sum(dtm_events_received_total{feed=\"trade\"})",
                    Duration.ofSeconds(30));
            assertTrue(Double.parseDouble(received.get(0).get("value").get(1).asText()) >= 2);
            JsonNode zero = prometheus.awaitResult(
                    "dtm_events_rejected_total{feed=\"policy\",reason=\"wrong-topic\"}", Duration.ofSeconds(30));
            assertEquals(1, zero.size(), "counters are registered at 0, so the series exists");
        }
    }
}
