package io.dtm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dtm.events.Feed;
import io.dtm.ingest.EventDecoder;
import io.dtm.model.Coefficient;
import io.dtm.model.Estimate;
import io.dtm.model.PanelAccumulator;
import io.dtm.model.PanelEstimator;
import io.dtm.model.RollingWindow;
import io.dtm.model.Row;
import io.dtm.model.Significance;
import io.dtm.model.Status;
import io.dtm.support.TestClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The model's demo data: valid, synthetic, reproducible, and telling the paper's story when the default model
 * {@code drivers} is fitted on it together with {@link DemoDataSet}. The rows are assembled here from the events'
 * JSON, independently of the service's topology: latest vintage per (series, period) (ties to the greater source and
 * id), then the term definitions of the drivers-model issue.
 */
class ModelDemoDataTest {

    private static final List<String> TERMS = List.of("ln_gdp", "openness", "infra", "ln_ict_lag", "ln_compute",
            "rcep");
    private static final ArrayNode MODEL = ModelDemoData.events(ModelDemoData.SEED);
    private static final List<Row> ROWS = Panel.of(DemoDataSet.events(), MODEL).rows();

    @Test
    void shouldFitTheOneBatchTheLoaderPublishesWithinTheDefaultBatchLimit() {
        int events = DemoDataSet.events().size() + ModelDemoData.events(ModelDemoData.SEED).size();
        assertTrue(events <= 10_000, events + " demo events; dtm.ingest.max-batch-events is 10 000 by default");
    }

    @Test
    void windowEnding2021FindsInfrastructureAndIctSignificantButNotGdpOrOpenness() {
        Estimate estimate = fit(2017, 2021);
        assertEquals(Status.OK, estimate.status(), estimate.reason());
        assertEquals(Significance.SIGNIFICANT, significance(estimate, "infra"));
        assertEquals(Significance.SIGNIFICANT, significance(estimate, "ln_ict_lag"));
        assertEquals(Significance.NOT_SIGNIFICANT, significance(estimate, "ln_gdp"));
        assertEquals(Significance.NOT_SIGNIFICANT, significance(estimate, "openness"));
        assertEquals(List.of("rcep"), estimate.droppedTerms(), "no member was in RCEP before 2022");
    }

    @Test
    void windowEnding2023FindsGdpAndOpennessSignificantButNotInfrastructureOrIct() {
        Estimate estimate = fit(2019, 2023);
        assertEquals(Status.OK, estimate.status(), estimate.reason());
        assertEquals(Significance.SIGNIFICANT, significance(estimate, "ln_gdp"));
        assertEquals(Significance.SIGNIFICANT, significance(estimate, "openness"));
        assertEquals(Significance.NOT_SIGNIFICANT, significance(estimate, "infra"));
        assertEquals(Significance.NOT_SIGNIFICANT, significance(estimate, "ln_ict_lag"));
        assertEquals(List.of(), estimate.droppedTerms());
    }

    @Test
    void everyMemberHasARowInEveryYearAndTheRollingWindowIs2019To2023() {
        Map<Integer, Integer> rowsPerYear = new TreeMap<>();
        ROWS.forEach(row -> rowsPerYear.merge(row.year(), 1, Integer::sum));
        for (int year = ModelDemoData.FIRST_YEAR; year <= ModelDemoData.LAST_YEAR; year++) {
            assertEquals(15, rowsPerYear.get(year), "rows in " + year);
        }
        assertEquals(ModelDemoData.LAST_YEAR - ModelDemoData.FIRST_YEAR + 1, rowsPerYear.size());
        assertEquals(new RollingWindow(2019, 2023), RollingWindow.of(rowsPerYear, 15, 5).orElseThrow());
    }

    @Test
    void everyEventPassesTheValidator() {
        for (JsonNode event : MODEL) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(EventDecoder.CONTENT_TYPE, "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            EventDecoder.Decoded decoded = EventDecoder.decode(headers,
                    event.toString().getBytes(StandardCharsets.UTF_8), null, TestClock.TODAY);
            assertInstanceOf(EventDecoder.Accepted.class, decoded, event::toString);
        }
    }

    @Test
    void everyEventIsSyntheticWithAStableUniqueId() {
        Set<String> ids = new HashSet<>();
        for (JsonNode event : DemoDataSet.events()) {
            ids.add(event.get("source").asText() + "|" + event.get("id").asText());
        }
        assertTrue(MODEL.size() > 0);
        for (JsonNode event : MODEL) {
            assertEquals(DemoDataSet.SYNTHETIC_SOURCE, event.get("source").asText());
            assertTrue(event.get("data").get("synthetic").asBoolean(), event::toString);
            assertEquals(DemoDataSet.SYNTHETIC_VINTAGE, event.get("data").get("vintage").asText());
            assertTrue(event.get("id").asText().startsWith(ModelDemoData.ID_PREFIX), event::toString);
            assertTrue(ids.add(event.get("source").asText() + "|" + event.get("id").asText()),
                    "duplicate id " + event.get("id"));
        }
    }

    @Test
    void noSeriesAndPeriodOfTheDemoDataSetIsPublishedAgain() {
        Set<String> demo = new HashSet<>();
        DemoDataSet.events().forEach(event -> demo.add(Obs.of(event).key()));
        for (JsonNode event : MODEL) {
            assertFalse(demo.contains(Obs.of(event).key()), event::toString);
        }
    }

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
        assertEquals(MODEL, ModelDemoData.events(ModelDemoData.SEED));
        assertNotEquals(MODEL, ModelDemoData.events(ModelDemoData.SEED + 1));
    }

    @Test
    void valuesArePlausible() {
        Map<String, TreeMap<String, Double>> internet = new HashMap<>();
        for (JsonNode event : MODEL) {
            Obs obs = Obs.of(event);
            switch (obs.category()) {
                case "INTERNET_USERS_PCT" -> {
                    assertTrue(obs.value() > 0 && obs.value() <= 100, obs::toString);
                    internet.computeIfAbsent(obs.reporter(), r -> new TreeMap<>()).put(obs.period(), obs.value());
                }
                case "DSTRI" -> assertTrue(obs.value() >= 0 && obs.value() <= 1, obs::toString);
                case "INTELLIGENT_EFLOPS_FP16", "GDP_USD", "ICT" -> assertTrue(obs.value() > 0, obs::toString);
                case "DDS" -> {
                    double bn = obs.value() / 1e9;
                    boolean small = Set.of("BRN", "KHM", "LAO", "MMR", "NZL", "VNM").contains(obs.reporter());
                    assertTrue(small ? bn >= 0.1 && bn <= 10 : bn >= 1 && bn <= 1000, obs::toString);
                }
                default -> throw new AssertionError("unexpected series " + obs);
            }
        }
        assertEquals(15, internet.size());
        internet.values().forEach(series -> {
            List<Double> values = new ArrayList<>(series.values());
            for (int i = 1; i < values.size(); i++) {
                assertTrue(values.get(i) >= values.get(i - 1), series::toString);
            }
        });
    }

    private static Estimate fit(int first, int last) {
        List<Row> window = ROWS.stream().filter(row -> row.year() >= first && row.year() <= last).toList();
        return PanelEstimator.estimate(PanelAccumulator.of(TERMS.size(), window), TERMS);
    }

    private static Significance significance(Estimate estimate, String term) {
        Coefficient coefficient = estimate.coefficient(term).orElseThrow();
        return Significance.of(coefficient.clustered().p());
    }

    /** One event's observation: (series, period) key parts, value in base units, vintage and identity. */
    record Obs(String feed, String reporter, String partner, String flow, String category, String period,
            Double value, String vintage, String source, String id) {

        static Obs of(JsonNode event) {
            Feed feed = Feed.ofEventType(event.get("type").asText()).orElseThrow();
            JsonNode d = event.get("data");
            String source = event.get("source").asText();
            String id = event.get("id").asText();
            String vintage = d.get("vintage").asText();
            return switch (feed) {
                case TRADE -> new Obs("trade", d.get("reporter").asText(), d.get("partner").asText(),
                        d.get("flow").asText(), d.get("category").asText(), d.get("period").asText(), amount(d),
                        vintage, source, id);
                case COMPUTE -> new Obs("compute", d.get("region").asText(), "", "", d.get("metric").asText(),
                        d.get("period").asText(), amount(d), vintage, source, id);
                case POLICY -> new Obs("policy", d.get("country").asText(), "", "", d.get("measure").asText(),
                        d.get("effective").asText(), d.has("indexValue") ? d.get("indexValue").asDouble() : null,
                        vintage, source, id);
                case MACRO -> new Obs("macro", d.get("country").asText(), "", "", d.get("indicator").asText(),
                        d.get("period").asText(), amount(d), vintage, source, id);
            };
        }

        private static double amount(JsonNode data) {
            double factor = switch (data.get("unit").asText()) {
                case "USD_MN" -> 1e6;
                case "USD_100MN" -> 1e8;
                case "USD_BN" -> 1e9;
                default -> 1;
            };
            return data.get("value").asDouble() * factor;
        }

        String key() {
            return String.join("|", feed, reporter, partner, flow, category, period);
        }

        /** The latest-vintage rule: later vintage, then greater (source, id). */
        boolean supersedes(Obs other) {
            int byVintage = vintage.compareTo(other.vintage);
            if (byVintage != 0) {
                return byVintage > 0;
            }
            int bySource = source.compareTo(other.source);
            return bySource != 0 ? bySource > 0 : id.compareTo(other.id) > 0;
        }
    }

    /** The winning observation of every (series, period), and the rows of the default model built from them. */
    record Panel(Map<String, Obs> winners) {

        static Panel of(ArrayNode... batches) {
            Map<String, Obs> winners = new HashMap<>();
            for (ArrayNode batch : batches) {
                for (JsonNode event : batch) {
                    Obs obs = Obs.of(event);
                    winners.merge(obs.key(), obs, (current, incoming) -> incoming.supersedes(current) ? incoming
                            : current);
                }
            }
            return new Panel(winners);
        }

        List<Row> rows() {
            Set<String> members = new TreeSet<>();
            winners.values().stream().filter(o -> o.category().equals("GDP_USD"))
                    .forEach(o -> members.add(o.reporter()));
            List<Row> rows = new ArrayList<>();
            for (String member : members) {
                Integer rcepYear = rcepYear(member);
                for (int year = 2000; year <= 2030; year++) {
                    Double y = value("trade", member, "WLD", "EXPORT", "DDS", year);
                    Double gdp = value("macro", member, "", "", "GDP_USD", year);
                    Double dstri = dstriAtEndOf(member, year);
                    Double internet = value("compute", member, "", "", "INTERNET_USERS_PCT", year);
                    Double ict = value("trade", member, "WLD", "EXPORT", "ICT", year - 1);
                    Double eflops = value("compute", member, "", "", "INTELLIGENT_EFLOPS_FP16", year);
                    if (y == null || gdp == null || dstri == null || internet == null || ict == null
                            || eflops == null || y <= 0 || gdp <= 0 || ict <= 0 || eflops <= 0) {
                        continue;
                    }
                    double rcep = rcepYear != null && year >= rcepYear ? 1 : 0;
                    rows.add(new Row(member, year, Math.log(y), new double[] {Math.log(gdp), 1 - dstri,
                            internet / 100, Math.log(ict), Math.log(eflops), rcep}));
                }
            }
            return rows;
        }

        private Double value(String feed, String reporter, String partner, String flow, String category, int year) {
            Obs obs = winners.get(String.join("|", feed, reporter, partner, flow, category, Integer.toString(year)));
            return obs == null ? null : obs.value();
        }

        /** The latest DSTRI effective on or before 31 December of {@code year}. */
        private Double dstriAtEndOf(String country, int year) {
            String yearEnd = year + "-12-31";
            return winners.values().stream()
                    .filter(o -> o.category().equals("DSTRI") && o.reporter().equals(country)
                            && o.period().compareTo(yearEnd) <= 0)
                    .max((a, b) -> a.period().compareTo(b.period()))
                    .map(Obs::value).orElse(null);
        }

        private Integer rcepYear(String country) {
            return winners.values().stream()
                    .filter(o -> o.category().equals("RCEP_ENTRY_INTO_FORCE") && o.reporter().equals(country))
                    .map(o -> Integer.parseInt(o.period().substring(0, 4)))
                    .findFirst().orElse(null);
        }
    }
}
