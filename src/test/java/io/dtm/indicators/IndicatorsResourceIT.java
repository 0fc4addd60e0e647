package io.dtm.indicators;

import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.tradeData;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dtm.events.Feed;
import io.dtm.support.Http;
import io.dtm.support.KafkaResource;
import io.dtm.support.ScrapedMetrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/indicators} served from the state stores of the running service (real broker). */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class IndicatorsResourceIT {

    private static final String SOURCE = "urn:test:query:" + UUID.randomUUID();
    private static final String NZL_DDS = "trade-yoy-growth:NZL:WLD:EXPORT:DDS";

    /** A partner no other test uses, so that these series are this test's alone. */
    private static final String PARTNER = "FJI";
    private static final List<String> ROUTED = List.of("AUS", "JPN", "KOR", "SGP", "THA", "VNM", "MYS", "PHL");

    private static boolean published;

    @BeforeEach
    void publishNewZealandOnce() {
        if (published) {
            return;
        }
        published = true;
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        batch.add(structured(Feed.TRADE, SOURCE, "dds-2022", tradeData("NZL", "WLD", "EXPORT", "DDS", "2022", 40,
                "USD_MN", "2023-04-01")));
        batch.add(structured(Feed.TRADE, SOURCE, "dds-2023", tradeData("NZL", "WLD", "EXPORT", "DDS", "2023", 50,
                "USD_MN", "2024-04-01").put("reportedGrowthPct", 25.0)));
        batch.add(structured(Feed.TRADE, SOURCE, "svc-2023", tradeData("NZL", "WLD", "EXPORT", "SERVICES", "2023",
                200, "USD_MN", "2024-04-01")));
        Http.postBatch(batch).statusCode(202);
    }

    private static List<Map<String, Object>> list(String query) {
        return given().get("/api/v1/indicators?" + query).then().statusCode(200).extract().jsonPath().getList("$");
    }

    @Test
    void shouldListTheLatestValueOfEachSeriesWithAnIdAndFilters() {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> list("reporter=NZL&id=trade-yoy-growth").size() == 1);
        Map<String, Object> item = list("reporter=NZL&id=trade-yoy-growth").get(0);
        assertEquals(NZL_DDS, item.get("id"));
        assertEquals("yoy_growth_pct", item.get("indicator"));
        assertEquals("2023", item.get("period"));
        assertEquals(25.0, ((Number) item.get("value")).doubleValue(), 1e-9);
        assertEquals(false, item.get("synthetic"));

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> list("reporter=NZL&indicator=share_pct").size() == 1);
        assertEquals(25.0, ((Number) list("reporter=NZL&indicator=share_pct").get(0).get("value")).doubleValue(),
                1e-9);
        assertTrue(list("reporter=NZL&category=GOODS").isEmpty());
    }

    @Test
    void shouldServeTheHistoryWithTheVintageAndSourceOfEveryInput() {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> !list("reporter=NZL&id=trade-yoy-growth").isEmpty());
        JsonPath history = given().get("/api/v1/indicators/" + NZL_DDS + "/history").then().statusCode(200)
                .body("id", equalTo(NZL_DDS)).extract().jsonPath();
        assertEquals(List.of("2023"), history.getList("points.period"));
        assertEquals(List.of("2024-04-01", "2023-04-01"), history.getList("points[0].inputs.vintage"));
        assertEquals(List.of(SOURCE, SOURCE), history.getList("points[0].inputs.source"));
        assertEquals(List.of("dds-2023", "dds-2022"), history.getList("points[0].inputs.id"));
    }

    @Test
    void shouldServeTheHistoryOfEveryListedSeriesFromTheTaskThatOwnsIt() {
        // series spread over the three partitions, in both value stores (by series and by group)
        ArrayNode batch = JsonNodeFactory.instance.arrayNode();
        for (String reporter : ROUTED) {
            for (String category : List.of("DDS", "SERVICES")) {
                for (int year = 2022; year <= 2023; year++) {
                    batch.add(structured(Feed.TRADE, SOURCE, reporter + category + year, tradeData(reporter, PARTNER,
                            "EXPORT", category, String.valueOf(year), 10 * (year - 2020) + category.length(),
                            "USD_MN", year + 1 + "-04-01")));
                }
            }
        }
        Http.postBatch(batch).statusCode(202);
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> ROUTED.stream()
                .allMatch(r -> list("reporter=" + r + "&partner=" + PARTNER + "&id=trade-yoy-growth").size() == 2
                        && list("reporter=" + r + "&partner=" + PARTNER + "&id=dds-share-of-services").size() == 1));
        for (String reporter : ROUTED) {
            List<Map<String, Object>> items = list("reporter=" + reporter + "&partner=" + PARTNER);
            assertTrue(items.size() >= 3, "growth of both series and the share: " + items);
            for (Map<String, Object> item : items) {
                JsonPath history = given().get("/api/v1/indicators/" + item.get("id") + "/history").then()
                        .statusCode(200).extract().jsonPath();
                List<String> periods = history.getList("points.period");
                assertEquals(item.get("period"), periods.get(periods.size() - 1), "latest period of " + item);
                assertEquals(((Number) item.get("value")).doubleValue(),
                        history.getDouble("points[" + (periods.size() - 1) + "].value"), 1e-3, "value of " + item);
            }
        }
    }

    @Test
    void shouldExportTheHistoryOfASeriesByPeriod() {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertEquals(25.0, ScrapedMetrics.scrape().value(
                "dtm_indicator_period_value", "id", "trade-yoy-growth", "reporter", "NZL", "category", "DDS",
                "period", "2023"), 1e-9));
        assertTrue(ScrapedMetrics.scrape().has("dtm_indicator_series_dropped_total"));
    }

    @Test
    void shouldAnswer404ForAnUnknownEntryOrABadId() {
        given().get("/api/v1/indicators/no-such-entry:NZL:WLD:EXPORT:DDS/history").then().statusCode(404)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("no catalogue entry 'no-such-entry'"));
        given().get("/api/v1/indicators/trade-yoy-growth/history").then().statusCode(404)
                .body("detail", containsString("entry:reporter:partner:flow:category"));
    }
}
