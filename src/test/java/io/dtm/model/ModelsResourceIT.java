package io.dtm.model;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.Feed;
import io.dtm.events.ModelWindow;
import io.dtm.events.Observation;
import io.dtm.streams.JsonSerde;
import io.dtm.support.Http;
import io.dtm.support.KafkaResource;
import io.dtm.support.ScrapedMetrics;
import io.dtm.support.TestEvents;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The drivers model end to end against the real broker: a panel over HTTP, the coefficients of a batch fit, in the
 * snapshot and in every window end year's estimate.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class ModelsResourceIT {

    /** Economies no other test publishes, so that the panel is exactly this one. */
    private static final List<String> ENTITIES = List.of("BRA", "ARG", "CHL", "PER", "COL", "MEX", "URY", "PRY",
            "ECU", "BOL");

    @Test
    void shouldServeAndExportTheCoefficientsOfABatchFitOfThePublishedPanel() {
        List<Observation> observations = ModelTopologyTest.panel(11, ENTITIES);
        String source = "urn:test:model:" + UUID.randomUUID();
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        int n = 0;
        for (Observation o : observations) {
            batch.add(TestEvents.structured(Feed.ofLabel(o.feed()).orElseThrow(), source, "m" + n++, data(o)));
        }
        Http.postBatch(batch).statusCode(202);
        Estimate expected = PanelEstimator.estimate(PanelAccumulator.of(6, ModelTopologyTest.rows(observations,
                ENTITIES)), List.of("ln_gdp", "openness", "infra", "ln_ict_lag", "ln_compute", "rcep"));

        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
            JsonPath snapshot = given().get("/api/v1/models/drivers").then().statusCode(200).extract().jsonPath()
                    .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
            assertEquals("all", snapshot.getString("estimates[0].estimate"));
            assertEquals(expected.observations(), snapshot.getInt("estimates[0].observations"));
            for (Coefficient c : expected.coefficients()) {
                double served = snapshot.getDouble("estimates[0].terms.find { it.term == '" + c.term()
                        + "' }.coefficient");
                assertEquals(c.estimate(), served, 1e-8 * Math.max(1, Math.abs(c.estimate())), c.term());
                assertEquals(expected.entities() - 1, snapshot.getInt("estimates[0].terms.find { it.term == '"
                        + c.term() + "' }.clustered.df"), c.term());
                assertTrue(snapshot.getString("estimates[0].terms.find { it.term == '" + c.term()
                        + "' }.clustered.convention").contains("arellano"), c.term());
            }
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ScrapedMetrics metrics = ScrapedMetrics.scrape();
            for (Coefficient c : expected.coefficients()) {
                double exported = metrics.value("dtm_model_coefficient", "model", "drivers", "estimate", "all",
                        "term", c.term());
                assertEquals(c.estimate(), exported, 1e-8 * Math.max(1, Math.abs(c.estimate())), c.term());
                assertEquals(c.clustered().p(), metrics.value("dtm_model_p_value", "model", "drivers", "estimate",
                        "all", "term", c.term(), "type", "clustered"), 1e-8, c.term());
                assertEquals(c.clustered().lower95(), metrics.value("dtm_model_ci_lower", "model", "drivers",
                        "estimate", "all", "term", c.term(), "type", "clustered"), 1e-8, c.term());
                assertEquals(c.classical().upper95(), metrics.value("dtm_model_ci_upper", "model", "drivers",
                        "estimate", "all", "term", c.term(), "type", "classical"), 1e-8, c.term());
                assertEquals(c.standardised(), metrics.value("dtm_model_standardized_coefficient", "model",
                        "drivers", "estimate", "all", "term", c.term()), 1e-8, c.term());
                assertEquals(expected.ranking().indexOf(c.term()) + 1, metrics.value("dtm_model_driver_rank", "model",
                        "drivers", "estimate", "all", "term", c.term()), c.term());
            }
            assertEquals(expected.observations(), (int) metrics.value("dtm_model_observations", "model", "drivers",
                    "estimate", "all"));
        });
        given().get("/api/v1/models/drivers/history?limit=3").then().statusCode(200);
        given().get("/api/v1/models/nope").then().statusCode(404);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                shouldServeAndExportTheEstimateOfEveryWindowEndYear(observations));
    }

    /** The windows ending 2018 to 2023 (5 years each, the panel's rows start in 2014), served and exported. */
    private static void shouldServeAndExportTheEstimateOfEveryWindowEndYear(List<Observation> observations)
            throws IOException {
        List<String> terms = List.of("ln_gdp", "openness", "infra", "ln_ict_lag", "ln_compute", "rcep");
        List<Row> rows = ModelTopologyTest.rows(observations, ENTITIES);
        ModelsResource.Windows served = JsonSerde.MAPPER.readValue(given().get("/api/v1/models/drivers/windows")
                .then().statusCode(200).extract().asByteArray(), ModelsResource.Windows.class);
        assertEquals("drivers", served.model());
        assertEquals(5, served.windowYears());
        assertEquals(20, served.maxWindows());
        assertEquals(List.of(2018, 2019, 2020, 2021, 2022, 2023),
                served.windows().stream().map(ModelWindow::windowEnd).toList());
        ScrapedMetrics metrics = ScrapedMetrics.scrape();
        for (ModelWindow w : served.windows()) {
            int end = w.windowEnd();
            String year = Integer.toString(end);
            Estimate expected = PanelEstimator.estimate(PanelAccumulator.of(6, rows.stream()
                    .filter(r -> r.year() > end - 5 && r.year() <= end).toList()), terms);
            assertEquals(end - 4, w.firstYear());
            assertEquals(expected.observations(), w.rows(), "every entity has two or more rows");
            assertEquals(expected.observations(), w.observations());
            assertEquals(expected.entities(), w.entities());
            assertEquals(expected.coefficients().stream().map(Coefficient::term).toList(),
                    w.terms().stream().map(ModelWindow.Term::term).toList());
            for (ModelWindow.Term t : w.terms()) {
                Coefficient c = expected.coefficient(t.term()).orElseThrow();
                String what = end + " " + t.term();
                assertEquals(c.estimate(), t.coefficient(), 1e-8, what);
                assertEquals(c.clustered().standardError(), t.clustered().standardError(), 1e-8, what);
                assertEquals(c.clustered().upper95(), t.clustered().upper95(), 1e-8, what);
                assertEquals(c.classical().t(), t.classical().t(), 1e-6, what);
                assertEquals(c.classical().p(), t.classical().p(), 1e-8, what);
                assertTrue(t.clustered().convention().contains("G − 1"), what);
                assertEquals(c.estimate(), metrics.value("dtm_model_window_coefficient", "model", "drivers", "term",
                        t.term(), "window_end", year), 1e-8, what);
                assertEquals(c.clustered().lower95(), metrics.value("dtm_model_window_ci_lower", "model", "drivers",
                        "term", t.term(), "window_end", year, "type", "clustered"), 1e-8, what);
                assertEquals(c.classical().upper95(), metrics.value("dtm_model_window_ci_upper", "model", "drivers",
                        "term", t.term(), "window_end", year, "type", "classical"), 1e-8, what);
            }
        }
        given().get("/api/v1/models/nope/windows").then().statusCode(404)
                .body("type", equalTo("urn:dtm:problem:unknown-model"));
    }

    private static ObjectNode data(Observation o) {
        ObjectNode d = JsonNodeFactory.instance.objectNode().put("vintage", o.vintage());
        switch (o.feed()) {
            case "trade" -> d.put("reporter", o.reporter()).put("partner", o.partner()).put("flow", o.flow())
                    .put("category", o.category()).put("period", o.period()).put("value", o.value()).put("unit", "USD");
            case "macro" -> d.put("country", o.reporter()).put("indicator", o.category()).put("period", o.period())
                    .put("value", o.value()).put("unit", "USD");
            case "compute" -> d.put("region", o.reporter()).put("metric", o.category()).put("period", o.period())
                    .put("value", o.value())
                    .put("unit", o.category().equals("INTERNET_USERS_PCT") ? "PCT" : "EFLOPS_FP16");
            case "policy" -> {
                d.put("country", o.reporter()).put("measure", o.category()).put("effective", o.period())
                        .put("direction", "NEUTRAL");
                if (o.value() != null) {
                    d.put("indexValue", o.value());
                }
            }
            default -> throw new IllegalArgumentException(o.feed());
        }
        return d;
    }
}
