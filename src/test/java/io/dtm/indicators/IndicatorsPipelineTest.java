package io.dtm.indicators;

import static io.dtm.support.TestEvents.structured;
import static io.dtm.support.TestEvents.structuredHeaders;
import static io.dtm.support.TestEvents.tradeData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.demo.DemoDataSet;
import io.dtm.demo.DemoPublications;
import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.imports.ImportItem;
import io.dtm.support.PipelineDriver;
import io.dtm.support.ScrapedMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Feed events through ingest and indicators together, as on the real topics, with the default catalogue. */
class IndicatorsPipelineTest {

    @TempDir
    Path stateDir;

    private Map<String, IndicatorValue> demo() {
        try (PipelineDriver pipeline = new PipelineDriver(stateDir)) {
            for (JsonNode event : DemoDataSet.events()) {
                pipeline.send(Feed.ofEventType(event.get("type").asText()).orElseThrow(), structuredHeaders(), event);
            }
            return new TreeMap<>(pipeline.indicators());
        }
    }

    @Test
    void shouldComputeTable1GrowthOfDigitallyDeliveredServicesFromTheDemoData() {
        try (PipelineDriver pipeline = new PipelineDriver(stateDir)) {
            for (JsonNode event : DemoDataSet.events()) {
                pipeline.send(Feed.ofEventType(event.get("type").asText()).orElseThrow(), structuredHeaders(), event);
            }

            IndicatorValue dds2025 = pipeline.indicators().get("trade-yoy-growth|WLD|WLD|EXPORT|DDS|2025");
            assertNotNull(dds2025, "DDS 2025 growth computed");
            assertEquals(6.1, dds2025.value(), 0.05, "Table 1 prints 6.1 for DDS 2025");
            assertEquals((49155.0 / 46329.0 - 1) * 100, dds2025.value(), 1e-12);
            assertEquals(List.of("table1-DDS-2025", "table1-DDS-2024"),
                    dds2025.inputs().stream().map(IndicatorValue.Input::id).toList());
            ScrapedMetrics scraped = ScrapedMetrics.of(pipeline.gauges.exposition());
            double gauge = scraped.value("dtm_indicator_value",
                    "id", "trade-yoy-growth", "reporter", "WLD", "partner", "WLD", "category", "DDS");
            assertEquals(dds2025.value(), gauge, 0.0, "the gauge shows the latest period at full precision");
            double history2024 = scraped.value("dtm_indicator_period_value",
                    "id", "trade-yoy-growth", "reporter", "WLD", "category", "DDS", "period", "2024");
            assertEquals((46329.0 / 42504.0 - 1) * 100, history2024, 1e-12);
            assertEquals(18, pipeline.indicators().keySet().stream()
                    .filter(k -> k.startsWith("trade-yoy-growth|WLD|WLD|")).count(),
                    "six growth years for each of goods, services and DDS");
        }
    }

    @Test
    void shouldMatchTheGrowthTable1PrintsAndFlagExactlyTheTwoFiguresThatDisagree() {
        Map<String, IndicatorValue> all = demo();
        Map<String, Double> gaps = all.values().stream()
                .filter(v -> v.id().equals("growth-consistency-gap") && v.reporter().equals("WLD"))
                .collect(Collectors.toMap(v -> v.category() + " " + v.period(), IndicatorValue::value));
        assertEquals(Map.of(), gaps.entrySet().stream().filter(e -> Math.abs(e.getValue()) > 1
                && !List.of("GOODS 2024", "SERVICES 2025").contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertTrue(Math.abs(gaps.get("GOODS 2024")) > 1 && Math.abs(gaps.get("SERVICES 2025")) > 1, gaps.toString());
        gaps.forEach((what, gap) -> {
            if (!List.of("GOODS 2024", "SERVICES 2025").contains(what)) {
                assertTrue(Math.abs(gap) <= 0.05, what + ": computed growth within 0.05 pp of the printed, gap " + gap);
            }
        });
        assertEquals(16, gaps.size(), "every printed growth with an amount a year before is checked");
    }

    @Test
    void shouldTellThePapersStoryWithTheDefaultCatalogue() {
        Map<String, IndicatorValue> all;
        try (PipelineDriver pipeline = new PipelineDriver(stateDir)) {
            for (ImportItem.Event event : DemoPublications.read(DemoPublications.of("unctad-dds")).events()) {
                pipeline.send(event.feed(), structuredHeaders(), new String(event.json(), StandardCharsets.UTF_8));
            }
            for (JsonNode event : DemoDataSet.events()) {
                pipeline.send(Feed.ofEventType(event.get("type").asText()).orElseThrow(), structuredHeaders(), event);
            }
            all = new TreeMap<>(pipeline.indicators());
        }
        assertEquals(49155.0 / 82393.0 * 100, all.get("dds-share-of-services|WLD|WLD|EXPORT|DDS|2025").value(), 1e-9);
        Map<String, Double> aggregates = new TreeMap<>();
        for (JsonNode event : DemoDataSet.events()) {
            JsonNode d = event.get("data");
            if (d.has("reporter") && d.get("reporter").asText().contains("RCEP")) {
                aggregates.put(d.get("reporter").asText() + d.get("period").asText(), d.get("value").asDouble());
            }
        }
        double rcep = aggregates.get("RCEP2022") / aggregates.get("RCEP2021") - 1;
        double others = aggregates.get("NON_RCEP2022") / aggregates.get("NON_RCEP2021") - 1;
        assertEquals((rcep - others) * 100, all.get("rcep-vs-non-rcep-dds-growth|RCEP|WLD|EXPORT|DDS|2022").value(),
                1e-9, "the members' sums from UNCTAD");
        IndicatorValue rca = all.get("dds-rca|CHN|WLD|EXPORT|DDS|2023");
        assertNotNull(rca, "China's DDS RCA");
        assertTrue(rca.synthetic(), "computed from China's synthetic services exports");
        assertTrue(all.containsKey("dds-market-share|CHN|WLD|EXPORT|DDS|2023"));
        IndicatorValue balance = all.get("services-balance|CHN|WLD||SERVICES|2023");
        assertEquals(-229.4e9, balance.value(), 1e-3, "the paper's 2023 services deficit");
        double hubShare = all.get("intelligent-compute-hub-share|CHN|||INTELLIGENT_EFLOPS_FP16|2025-06").value();
        assertTrue(hubShare >= 80 && hubShare <= 82, "more than 80 % in the hub nodes: " + hubShare);
        assertEquals(2 + 2 + 11, all.keySet().stream().filter(k -> k.startsWith("world-exports-cagr-5y|")).count(),
                "goods and services for 2024 and 2025 (Table 1's 2019–2025), DDS for 2015–2025 (UNCTAD from 2010)");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8})
    void shouldGiveTheSameIndicatorsForAnyArrivalOrderOfEventsWithRevisionsAndDuplicates(long seed) {
        List<ObjectNode> events = generatedEvents();
        assertTrue(events.size() >= 200, "a few hundred events: " + events.size());
        Map<String, Double> inOrder = run(events);

        List<ObjectNode> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(seed));
        Map<String, Double> actual = run(shuffled);

        assertEquals(inOrder, actual);
        Map<String, Double> yoy = new TreeMap<>(actual);
        yoy.keySet().removeIf(k -> !k.startsWith("trade-yoy-growth|") || !k.contains("|EXPORT|DDS|"));
        assertEquals(expectedDdsGrowth(events), yoy);
        assertTrue(actual.keySet().stream().map(k -> k.split("\\|")[0]).distinct().count() >= 6,
                "several kinds are exercised: " + actual.keySet().stream().map(k -> k.split("\\|")[0]).distinct()
                        .toList());
    }

    @Test
    void shouldWithdrawGrowthWhenTheEarlierYearIsRevisedToZero() {
        try (PipelineDriver pipeline = new PipelineDriver(stateDir)) {
            pipeline.send(Feed.TRADE, structuredHeaders(), trade("a", "2022", 100, "2024-01-01"));
            pipeline.send(Feed.TRADE, structuredHeaders(), trade("b", "2023", 110, "2024-01-01"));
            String key = "trade-yoy-growth|KOR|WLD|EXPORT|ICT|2023";
            assertEquals(10.0, pipeline.indicators().get(key).value(), 1e-9);

            pipeline.send(Feed.TRADE, structuredHeaders(), trade("c", "2022", 0, "2024-06-01"));

            assertFalse(pipeline.indicators().containsKey(key), "growth over a zero base is withdrawn");
            assertEquals(0, pipeline.gauges.size(), "nothing left to export for the series");
        }
    }

    @Test
    void shouldExportTheLastPeriodsFromTheStoreAgainWhenTheLatestIsWithdrawn() {
        try (PipelineDriver pipeline = new PipelineDriver(stateDir)) {
            for (int year = 1980; year <= 2015; year++) {
                pipeline.send(Feed.TRADE, structuredHeaders(), trade("y" + year, Integer.toString(year),
                        100 + year - 1980, "2024-01-01"));
            }
            pipeline.indicators();
            ScrapedMetrics before = ScrapedMetrics.of(pipeline.gauges.exposition());
            assertEquals(30, periodsExported(before), "the last 30 of 35 growth years");
            assertFalse(before.has("dtm_indicator_period_value", "period", "1985"));
            assertEquals((135.0 / 134 - 1) * 100, before.value("dtm_indicator_value", "reporter", "KOR"), 1e-12);

            // 2014 revised to zero: growth 2015 (over a zero base) is withdrawn, 2014 becomes the latest
            pipeline.send(Feed.TRADE, structuredHeaders(), trade("z", "2014", 0, "2024-06-01"));
            pipeline.indicators();

            ScrapedMetrics after = ScrapedMetrics.of(pipeline.gauges.exposition());
            assertEquals(-100.0, after.value("dtm_indicator_value", "reporter", "KOR"), 1e-12);
            assertEquals(30, periodsExported(after), "1985 comes back from the store");
            assertEquals((105.0 / 104 - 1) * 100, after.value("dtm_indicator_period_value", "period", "1985"), 1e-12);
            assertFalse(after.has("dtm_indicator_period_value", "period", "2015"));
        }
    }

    private static long periodsExported(ScrapedMetrics scraped) {
        return scraped.series().keySet().stream().filter(k -> k.startsWith("dtm_indicator_period_value")).count();
    }

    @Test
    void shouldStopExportingTheSeriesOfATaskWhenItCloses() {
        PipelineDriver pipeline = new PipelineDriver(stateDir);
        pipeline.send(Feed.TRADE, structuredHeaders(), trade("a", "2022", 100, "2024-01-01"));
        pipeline.send(Feed.TRADE, structuredHeaders(), trade("b", "2023", 120, "2024-01-01"));
        pipeline.indicators();
        assertEquals(1, pipeline.gauges.size());

        pipeline.close();

        assertEquals(0, pipeline.gauges.size());
        ScrapedMetrics scraped = ScrapedMetrics.of(pipeline.gauges.exposition());
        assertFalse(scraped.has("dtm_indicator_value"), scraped.toString());
        assertFalse(scraped.has("dtm_indicator_period_value"), scraped.toString());
    }

    private Map<String, Double> run(List<ObjectNode> events) {
        Map<String, Double> result = new TreeMap<>();
        Path dir = stateDir.resolve("run-" + System.nanoTime());
        try (PipelineDriver pipeline = new PipelineDriver(dir)) {
            events.forEach(e -> pipeline.send(Feed.ofEventType(e.get("type").asText()).orElseThrow(),
                    structuredHeaders(), e));
            pipeline.indicators().forEach((k, v) -> result.put(k, v.value()));
        }
        return result;
    }

    private static ObjectNode trade(String id, String period, double value, String vintage) {
        return structured(Feed.TRADE, "urn:test", id, tradeData("KOR", "WLD", "EXPORT", "ICT", period, value, "USD",
                vintage));
    }

    /**
     * Five reporters and the world × 8 years × DDS exports, services exports and imports, each in 1–2 vintages
     * (some with a published growth), DSTRI changes per reporter, and a repeat of every seventh event.
     */
    private static List<ObjectNode> generatedEvents() {
        Random random = new Random(42);
        List<ObjectNode> events = new ArrayList<>();
        String[] reporters = {"WLD", "CHN", "JPN", "KOR", "SGP", "AUS"};
        String[][] series = {{"EXPORT", "DDS"}, {"EXPORT", "SERVICES"}, {"IMPORT", "SERVICES"}};
        int n = 0;
        for (String reporter : reporters) {
            for (String[] s : series) {
                for (int year = 2014; year < 2022; year++) {
                    int vintages = 1 + random.nextInt(2);
                    for (int v = 0; v < vintages; v++) {
                        double value = (reporter.equals("WLD") ? 5000 : 100) + random.nextInt(100) + random.nextDouble();
                        String vintage = (year + 1 + v) + "-0" + (1 + random.nextInt(9)) + "-15";
                        ObjectNode data = tradeData(reporter, "WLD", s[0], s[1], Integer.toString(year), value,
                                "USD_MN", vintage);
                        if (random.nextInt(4) == 0) {
                            data.put("reportedGrowthPct", random.nextGaussian() * 5);
                        }
                        events.add(structured(Feed.TRADE, "urn:gen", "e" + n++, data));
                        if (n % 7 == 0) {
                            events.add(events.get(events.size() - 1).deepCopy());
                        }
                    }
                }
            }
            for (int change = 0; change < 3; change++) {
                ObjectNode policy = JsonNodeFactory.instance.objectNode().put("country", reporter)
                        .put("measure", "DSTRI").put("effective", (2015 + random.nextInt(6)) + "-0" + (1 + change)
                                + "-01")
                        .put("direction", "NEUTRAL").put("indexValue", random.nextDouble())
                        .put("vintage", "2022-01-0" + (1 + random.nextInt(9)));
                events.add(structured(Feed.POLICY, "urn:gen", "p" + n++, policy));
            }
        }
        return events;
    }

    /** DDS export growth of every (reporter, year) computed directly from the winning vintages. */
    private static Map<String, Double> expectedDdsGrowth(List<ObjectNode> events) {
        Map<String, JsonNode> winners = new HashMap<>();
        for (ObjectNode e : events) {
            JsonNode d = e.get("data");
            if (!d.path("category").asText().equals("DDS")) {
                continue;
            }
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
                expected.put("trade-yoy-growth|" + parts[0] + "|WLD|EXPORT|DDS|" + parts[1], growth);
            }
        });
        return expected;
    }
}
