package io.dtm.indicators;

import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.structuredHeaders;
import static io.dtm.support.TestEvents.tradeData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.demo.DemoDataSet;
import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.support.PipelineDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Feed events through ingest and indicators together, as on the real topics. */
class IndicatorsPipelineTest {

    private static final String DDS_2025 = "trade-yoy-growth|trade|WLD|WLD|EXPORT|DDS|2025";

    @TempDir
    Path stateDir;

    @Test
    void shouldComputeTable1GrowthOfDigitallyDeliveredServicesFromTheDemoData() {
        try (PipelineDriver pipeline = new PipelineDriver(stateDir)) {
            for (JsonNode event : DemoDataSet.events()) {
                pipeline.send(Feed.ofEventType(event.get("type").asText()).orElseThrow(), structuredHeaders(), event);
            }

            IndicatorValue dds2025 = pipeline.indicators().get(DDS_2025);
            assertNotNull(dds2025, "DDS 2025 growth computed");
            assertEquals(6.1, dds2025.value(), 0.05, "Table 1 prints 6.1 for DDS 2025");
            assertEquals((49155.0 / 46329.0 - 1) * 100, dds2025.value(), 1e-12);
            assertEquals(List.of("table1-DDS-2025", "table1-DDS-2024"),
                    dds2025.inputs().stream().map(IndicatorValue.Input::id).toList());
            double gauge = pipeline.registry.get("dtm.indicator.value")
                    .tags("indicator", "yoy_growth_pct", "reporter", "WLD", "partner", "WLD", "category", "DDS")
                    .gauge().value();
            assertEquals(dds2025.value(), gauge, 0.0, "the gauge shows the latest period at full precision");
            assertEquals(18, pipeline.indicators().keySet().stream().filter(k -> k.contains("|WLD|WLD|")).count(),
                    "six growth years for each of goods, services and DDS");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8})
    void shouldGiveTheSameIndicatorsForAnyArrivalOrderOfEventsWithRevisionsAndDuplicates(long seed) {
        List<ObjectNode> events = generatedEvents();
        assertTrue(events.size() >= 200, "a few hundred events: " + events.size());
        Collections.shuffle(events, new Random(seed));

        Map<String, Double> actual = new TreeMap<>();
        try (PipelineDriver pipeline = new PipelineDriver(stateDir)) {
            events.forEach(e -> pipeline.send(Feed.TRADE, structuredHeaders(), e));
            pipeline.indicators().forEach((k, v) -> actual.put(k, v.value()));
        }

        assertEquals(expectedFrom(events), actual);
    }

    @Test
    void shouldWithdrawGrowthWhenTheEarlierYearIsRevisedToZero() {
        try (PipelineDriver pipeline = new PipelineDriver(stateDir)) {
            pipeline.send(Feed.TRADE, structuredHeaders(), trade("a", "2022", 100, "2024-01-01"));
            pipeline.send(Feed.TRADE, structuredHeaders(), trade("b", "2023", 110, "2024-01-01"));
            String key = "trade-yoy-growth|trade|KOR|WLD|EXPORT|ICT|2023";
            assertEquals(10.0, pipeline.indicators().get(key).value(), 1e-9);

            pipeline.send(Feed.TRADE, structuredHeaders(), trade("c", "2022", 0, "2024-06-01"));

            assertFalse(pipeline.indicators().containsKey(key), "growth over a zero base is withdrawn");
            assertEquals(0, pipeline.gauges.size(), "nothing left to export for the series");
        }
    }

    @Test
    void shouldStopExportingTheSeriesOfATaskWhenItCloses() {
        PipelineDriver pipeline = new PipelineDriver(stateDir);
        pipeline.send(Feed.TRADE, structuredHeaders(), trade("a", "2022", 100, "2024-01-01"));
        pipeline.send(Feed.TRADE, structuredHeaders(), trade("b", "2023", 120, "2024-01-01"));
        assertEquals(1, pipeline.gauges.size());

        pipeline.close();

        assertEquals(0, pipeline.gauges.size());
        assertTrue(pipeline.registry.find("dtm.indicator.value").gauges().isEmpty());
    }

    private static ObjectNode trade(String id, String period, double value, String vintage) {
        return structured(Feed.TRADE, "urn:test", id, tradeData("KOR", "WLD", "EXPORT", "ICT", period, value, "USD",
                vintage));
    }

    /** 8 series × 12 years, each (series, year) in 1–3 vintages, and a repeat of every seventh event. */
    private static List<ObjectNode> generatedEvents() {
        Random random = new Random(42);
        List<ObjectNode> events = new ArrayList<>();
        String[] reporters = {"CHN", "JPN", "KOR", "SGP", "AUS", "VNM", "THA", "NZL"};
        int n = 0;
        for (String reporter : reporters) {
            for (int year = 2010; year < 2022; year++) {
                int vintages = 1 + random.nextInt(3);
                for (int v = 0; v < vintages; v++) {
                    double value = 1 + random.nextInt(1000) + random.nextDouble();
                    String vintage = (year + 1 + v) + "-0" + (1 + random.nextInt(9)) + "-15";
                    ObjectNode event = structured(Feed.TRADE, "urn:gen", "e" + n++, tradeData(reporter, "WLD",
                            "EXPORT", "DDS", Integer.toString(year), value, "USD_MN", vintage));
                    events.add(event);
                    if (n % 7 == 0) {
                        events.add(event.deepCopy());
                    }
                }
            }
        }
        return events;
    }

    /** The growth of every (series, year) computed directly from the winning vintages. */
    private static Map<String, Double> expectedFrom(List<ObjectNode> events) {
        Map<String, JsonNode> winners = new HashMap<>();
        for (ObjectNode e : events) {
            JsonNode d = e.get("data");
            String key = d.get("reporter").asText() + "|" + d.get("period").asText();
            JsonNode current = winners.get(key);
            if (current == null || d.get("vintage").asText().compareTo(current.get("vintage").asText()) > 0) {
                winners.put(key, d);
            }
        }
        Map<String, Double> expected = new TreeMap<>();
        winners.forEach((key, d) -> {
            String[] parts = key.split("\\|");
            JsonNode previous = winners.get(parts[0] + "|" + (Integer.parseInt(parts[1]) - 1));
            if (previous != null) {
                double growth = Formulas.yoyGrowthPct(d.get("value").asDouble() * 1e6,
                        previous.get("value").asDouble() * 1e6).orElseThrow();
                expected.put("trade-yoy-growth|trade|" + parts[0] + "|WLD|EXPORT|DDS|" + parts[1], growth);
            }
        });
        return expected;
    }
}
