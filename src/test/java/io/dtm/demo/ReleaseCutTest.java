package io.dtm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtm.imports.Datasets;
import io.dtm.imports.ImportException;
import io.dtm.imports.ImportItem;
import io.dtm.imports.ImportReport;
import io.dtm.imports.Importer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each real demo publication cut at a year and imported with the service's importer gives exactly the figures of
 * the whole release up to that year (same series, periods and values), at the cut's vintage, marked as derived from
 * the release; the rest of the file is left as it was written.
 */
class ReleaseCutTest {

    private static final Datasets DATASETS = Datasets.load("classpath:datasets.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Imported(ImportReport report, Map<String, Double> figures, List<JsonNode> events) {
    }

    static List<Arguments> publicationsAndYears() {
        List<Arguments> all = new ArrayList<>();
        for (DemoPublications.Publication p : DemoPublications.all()) {
            for (int year : new int[] {2018, 2020, 2022}) {
                all.add(Arguments.of(p.file(), year));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} cut at {1}")
    @MethodSource("publicationsAndYears")
    void shouldKeepEveryFigureUpToTheYearAndNothingAfter(String file, int year) throws IOException {
        DemoPublications.Publication publication = DemoPublications.all().stream()
                .filter(p -> p.file().equals(file)).findFirst().orElseThrow();
        Datasets.Dataset dataset = DATASETS.dataset(publication.dataset()).orElseThrow();
        byte[] whole;
        try (InputStream in = publication.open()) {
            whole = in.readAllBytes();
        }
        Imported release = importOf(dataset, whole, publication.vintage(), null);
        LocalDate real = release.report().vintage();
        LocalDate vintage = ReleaseCut.vintage(real, year);
        assertEquals(year + 1, vintage.getYear());

        byte[] cut = ReleaseCut.cut(dataset, whole, year, vintage);
        // the vintage is named where the file carries none; a World Bank file now carries the cut's
        Imported derived = importOf(dataset, cut, publication.vintage() == null ? null : vintage, real);

        assertEquals(vintage, derived.report().vintage());
        Map<String, Double> expected = new TreeMap<>();
        release.figures().forEach((key, value) -> {
            if (Integer.parseInt(key.substring(key.lastIndexOf('|') + 1, key.lastIndexOf('|') + 5)) <= year) {
                expected.put(key, value);
            }
        });
        if (dataset.formatOf() == Datasets.Format.EPOCH_GPU_CLUSTERS) {
            // a country whose first cluster came after the year had no series then (missing, not zero)
            Map<String, Double> bySeries = new TreeMap<>();
            expected.forEach((key, value) -> bySeries.merge(key.substring(0, key.lastIndexOf('|')), value, Double::sum));
            expected.keySet().removeIf(key -> bySeries.get(key.substring(0, key.lastIndexOf('|'))) == 0.0);
        }
        assertFalse(expected.isEmpty(), "the release has figures up to " + year);
        assertTrue(expected.size() < release.figures().size(), "the release has figures after " + year);
        assertEquals(expected, derived.figures());
        assertTrue(derived.report().rejected() <= release.report().rejected(),
                "no row of the cut is rejected that the release did not reject");
        for (JsonNode event : derived.events()) {
            assertEquals(real.toString(), event.path("derivedfrom").asText(), event.toString());
            assertTrue(event.path("id").asText().endsWith("/" + vintage + "/derived-from-" + real), event.toString());
            assertEquals(vintage.toString(), event.path("data").path("vintage").asText());
        }
    }

    @Test
    void shouldLeaveTheRestOfAWorldBankFileAsWritten() {
        String file = "\uFEFF\"Data Source\",\"World Development Indicators\",\r\n\r\n"
                + "\"Last Updated Date\",\"2026-02-24\",\r\n\r\n"
                + "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2019\",\"2020\",\"2021\",\r\n"
                + "\"Lao PDR\",\"LAO\",\"ICT, \"\"BoP\"\"\",\"BX.GSR.CCIS.CD\",\"1\",\"2\",\"3\",\r\n";
        String cut = new String(ReleaseCut.cut(DATASETS.dataset("wdi-bulk").orElseThrow(),
                file.getBytes(StandardCharsets.UTF_8), 2020, LocalDate.of(2021, 2, 24)), StandardCharsets.UTF_8);
        assertEquals("\uFEFF\"Data Source\",\"World Development Indicators\",\r\n\r\n"
                + "\"Last Updated Date\",\"2021-02-24\",\r\n\r\n"
                + "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2019\",\"2020\",\r\n"
                + "\"Lao PDR\",\"LAO\",\"ICT, \"\"BoP\"\"\",\"BX.GSR.CCIS.CD\",\"1\",\"2\",\r\n", cut);
    }

    @Test
    void shouldWriteTheVintageInTheFilesOwnDateStyle() {
        String file = "Data Source,World Development Indicators,,\nLast Updated Date,7/13/2026,,\n"
                + "Country Name,Country Code,Indicator Name,Indicator Code,2022,2023\n"
                + "Lao PDR,LAO,Internet,IT.NET.USER.ZS,60,65\n";
        String cut = new String(ReleaseCut.cut(DATASETS.dataset("wdi-bulk").orElseThrow(),
                file.getBytes(StandardCharsets.UTF_8), 2022, ReleaseCut.vintage(LocalDate.of(2026, 7, 13), 2022)),
                StandardCharsets.UTF_8);
        assertEquals("Data Source,World Development Indicators,,\nLast Updated Date,7/13/2023,,\n"
                + "Country Name,Country Code,Indicator Name,Indicator Code,2022\n"
                + "Lao PDR,LAO,Internet,IT.NET.USER.ZS,60\n", cut);
    }

    @Test
    void shouldKeepAQuotedLineBreakWithItsRowAndForgetLaterDecommissions() {
        String file = "Name,Status,Country,First Operational Date,Decommissioned date (if applicable),Note\n"
                + "A,Existing,Japan,2019-05-01,2023-01-01,\"two\nlines\"\n"
                + "B,Existing,Japan,2022-05-01,,\"later, \"\"new\"\"\"\n"
                + "C,Existing,Japan,2018-05-01,2020-06-30,old\n";
        String cut = new String(ReleaseCut.cut(DATASETS.dataset("epoch-gpu-clusters").orElseThrow(),
                file.getBytes(StandardCharsets.UTF_8), 2021, LocalDate.of(2022, 12, 17)), StandardCharsets.UTF_8);
        assertEquals("Name,Status,Country,First Operational Date,Decommissioned date (if applicable),Note\n"
                + "A,Existing,Japan,2019-05-01,,\"two\nlines\"\n"
                + "C,Existing,Japan,2018-05-01,2020-06-30,old\n", cut);
    }

    @Test
    void shouldRefuseACutOfAnEarlierRelease() {
        Datasets.Dataset dataset = DATASETS.dataset("datasets-gdp").orElseThrow();
        byte[] file = "Country Name,Country Code,Year,Value\nLao PDR,LAO,2020,1\n".getBytes(StandardCharsets.UTF_8);
        ImportException e = assertThrows(ImportException.class,
                () -> importOf(dataset, file, LocalDate.of(2024, 10, 21), LocalDate.of(2024, 10, 21)));
        assertTrue(e.getMessage().contains("derivedFrom names a later release"), e.getMessage());
    }

    private static Imported importOf(Datasets.Dataset dataset, byte[] file, LocalDate vintage, LocalDate derivedFrom)
            throws IOException {
        Map<String, Double> figures = new TreeMap<>();
        List<JsonNode> events = new ArrayList<>();
        ImportReport report = new Importer(DATASETS).run(dataset, new ByteArrayInputStream(file), vintage,
                derivedFrom, item -> {
                    if (item instanceof ImportItem.Event e) {
                        try {
                            JsonNode event = JSON.readTree(e.json());
                            events.add(event);
                            JsonNode data = event.path("data");
                            JsonNode value = data.has("value") ? data.get("value") : data.get("indexValue");
                            figures.put(e.key() + "|" + e.period(), value.asDouble());
                        } catch (IOException x) {
                            throw new IllegalStateException(x);
                        }
                    }
                }, live -> { }, reject -> { });
        return new Imported(report, figures, events);
    }
}
