package io.dtm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtm.imports.ImportItem;
import io.dtm.ingest.EventDecoder;
import io.dtm.support.TestClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The models' demo data is the real publications: every one imports with the shipped mappings into events the
 * service accepts, none of them synthetic; the model inputs cover the members the publishers cover (Viet Nam has no
 * ICT service exports, the OECD's Digital STRI six members); the RCEP aggregates are the sums of the members that
 * report; and what stays synthetic is only what no publication here gives.
 */
class ModelDemoDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RCEP = Set.of("AUS", "BRN", "CHN", "IDN", "JPN", "KHM", "KOR", "LAO", "MMR",
            "MYS", "NZL", "PHL", "SGP", "THA", "VNM");
    private static final Map<String, List<ImportItem.Event>> IMPORTED = new HashMap<>();

    static {
        DemoPublications.all().forEach(p -> IMPORTED.put(p.dataset() + "/" + p.file(),
                DemoPublications.read(p).events()));
    }

    @Test
    void everyPublicationImportsWithItsVintageAndEveryEventIsAcceptedAndReal() {
        assertEquals(6, DemoPublications.all().size());
        for (DemoPublications.Publication p : DemoPublications.all()) {
            DemoPublications.Imported imported = DemoPublications.read(p);
            assertTrue(imported.report().published() > 100, p + ": " + imported.report());
            assertTrue(imported.report().rejected() <= imported.report().read() / 10, p + ": " + imported.report());
            if (p.vintage() != null) {
                assertEquals(p.vintage(), imported.report().vintage());
            }
            for (ImportItem.Event event : imported.events()) {
                assertAccepted(event.json());
                assertFalse(data(event).has("synthetic"), () -> new String(event.json(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void everyOtherDemoEventIsAcceptedAndOnlyTheSeriesWithoutAPublicationAreSynthetic() {
        Set<String> synthetic = new TreeSet<>();
        for (JsonNode event : DemoDataSet.events()) {
            assertAccepted(event.toString().getBytes(StandardCharsets.UTF_8));
            JsonNode data = event.get("data");
            if (data.path("synthetic").asBoolean()) {
                synthetic.add(data.has("reporter") ? data.get("reporter").asText() + " " + data.get("category").asText()
                        + " " + data.get("flow").asText() : data.get("region").asText().substring(0, 4) + "hubs");
            }
        }
        assertEquals(Set.of("CHN SERVICES EXPORT", "CHN SERVICES IMPORT", "CHN-hubs"), synthetic);
    }

    @Test
    void theModelInputsCoverTheMembersThePublishersCover() {
        Set<String> dds = reporters("unctad-dds", "trade|%s|WLD|EXPORT|DDS");
        Set<String> ict = reporters("wdi-bulk", "trade|%s|WLD|EXPORT|ICT");
        Set<String> gdp = reporters("datasets-gdp", "macro|%s|||GDP_USD");
        Set<String> internet = reporters("wdi-bulk", "compute|%s|||INTERNET_USERS_PCT");
        Set<String> dstri = reporters("oecd-dstri", "policy|%s|||DSTRI");
        Set<String> compute = reporters("epoch-gpu-clusters", "compute|%s|||GPU_CLUSTER_H100E");
        Set<String> drivers = new TreeSet<>(RCEP);
        drivers.retainAll(dds);
        drivers.retainAll(ict);
        drivers.retainAll(gdp);
        drivers.retainAll(internet);
        assertEquals(new TreeSet<>(Set.of("AUS", "BRN", "CHN", "IDN", "JPN", "KHM", "KOR", "LAO", "MMR", "MYS",
                "NZL", "PHL", "SGP", "THA")), drivers, "every member but Viet Nam, which has no ICT service exports");
        Set<String> openness = new TreeSet<>(drivers);
        openness.retainAll(dstri);
        assertEquals(new TreeSet<>(Set.of("AUS", "CHN", "IDN", "JPN", "KOR", "NZL")), openness);
        Set<String> withClusters = new TreeSet<>(drivers);
        withClusters.retainAll(compute);
        assertTrue(withClusters.containsAll(Set.of("CHN", "JPN", "KOR", "AUS", "SGP")), withClusters.toString());
        assertFalse(withClusters.contains("LAO"), "no cluster recorded: missing, not zero");
        assertEquals(drivers.size(), DriversReferenceTest.reference("drivers").get(0).entities(),
                "the reference fit has the same members");
    }

    @Test
    void theRcepAggregateIsTheSumOfTheMembersThatReportWithTheirNumber() {
        Map<String, BigDecimal> sums = new TreeMap<>();
        Map<String, Set<String>> in = new TreeMap<>();
        for (ImportItem.Event e : events("unctad-dds")) {
            String reporter = e.key().split("\\|")[1];
            if (e.key().endsWith("|WLD|EXPORT|DDS") && RCEP.contains(reporter)) {
                sums.merge(e.period(), data(e).get("value").decimalValue(), BigDecimal::add);
                in.computeIfAbsent(e.period(), p -> new TreeSet<>()).add(reporter);
            }
        }
        int checked = 0;
        for (JsonNode event : DemoDataSet.events()) {
            JsonNode data = event.get("data");
            if (!"RCEP".equals(data.path("reporter").asText())) {
                continue;
            }
            String year = data.get("period").asText();
            assertEquals(0, sums.get(year).compareTo(data.get("value").decimalValue()), year);
            assertEquals("USD_MN", data.get("unit").asText());
            assertEquals(in.get(year).size(), event.get(DemoDataSet.AGGREGATE_COUNT).asInt(), year);
            assertEquals(String.join(" ", in.get(year)), event.get(DemoDataSet.AGGREGATE_MEMBERS).asText(), year);
            checked++;
        }
        assertEquals(14, checked, "2010–2023");
        assertEquals(15, in.get("2014").size(), "every member reports 2014");
        assertFalse(in.get("2023").contains("THA"), "Thailand reports no DDS exports for 2019–2023");
    }

    private static Set<String> reporters(String dataset, String pattern) {
        Set<String> found = new TreeSet<>();
        for (ImportItem.Event e : events(dataset)) {
            String reporter = e.key().split("\\|")[1];
            if (e.key().equals(pattern.formatted(reporter))) {
                found.add(reporter);
            }
        }
        return found;
    }

    private static List<ImportItem.Event> events(String dataset) {
        return IMPORTED.entrySet().stream().filter(e -> e.getKey().startsWith(dataset + "/"))
                .flatMap(e -> e.getValue().stream()).toList();
    }

    private static JsonNode data(ImportItem.Event event) {
        try {
            return JSON.readTree(event.json()).get("data");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertAccepted(byte[] json) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventDecoder.CONTENT_TYPE, "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        EventDecoder.Decoded decoded = EventDecoder.decode(headers, json, null, TestClock.TODAY);
        assertInstanceOf(EventDecoder.Accepted.class, decoded, () -> new String(json, StandardCharsets.UTF_8));
    }
}
