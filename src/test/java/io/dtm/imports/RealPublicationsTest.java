package io.dtm.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dtm.events.Feed;
import io.dtm.ingest.EventDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The real publications (test resources, see PROVENANCE.md) imported whole: counts add up, every event is one the
 * service's own decoder accepts, and the RCEP members' figures are the panel extracts' figures.
 */
class RealPublicationsTest {

    static final Set<String> RCEP = Set.of("AUS", "BRN", "CHN", "IDN", "JPN", "KHM", "KOR", "LAO", "MMR", "MYS",
            "NZL", "PHL", "SGP", "THA", "VNM");

    @Test
    void shouldImportWorldBankBulkCsvAsTheWorldBankWritesIt() {
        Imports.Result r = Imports.run("wdi-bulk", Imports.fixture("API_BX.GSR.CCIS.CD_DS2_en_csv_v2.csv"), null);
        assertEquals(LocalDate.of(2026, 2, 24), r.report().vintage());
        // 266 economies × 66 years (1960–2025), each cell one figure
        assertEquals(266L * 66, r.report().read());
        assertAddsUp(r);
        assertEquals(0, r.report().rejected());
        assertTrue(r.report().missing() > r.report().published(), "most early years are empty");
        assertAllDecode(r);
        assertMatchesPanel(r, "ict_service_exports_usd.csv", "trade|%s|WLD|EXPORT|ICT", 1e-9, 0);
        // WLD is named by the mapping, other aggregates are not
        assertTrue(periods(r, "trade|WLD|WLD|EXPORT|ICT").contains("2024"));
        assertTrue(r.events().stream().noneMatch(e -> e.key().contains("|EAS|")));
    }

    @Test
    void shouldImportWorldBankBulkCsvResavedBySpreadsheet() {
        Imports.Result r = Imports.run("wdi-bulk", Imports.fixture("API_IT.NET.USER.ZS_DS2_en_csv_v2.csv"), null);
        assertEquals(LocalDate.of(2026, 7, 13), r.report().vintage());
        // 265 economies × 66 years (this copy has one row fewer than the other)
        assertEquals(265L * 66, r.report().read());
        assertAddsUp(r);
        assertAllDecode(r);
        assertMatchesPanel(r, "internet_users_pct.csv", "compute|%s|||INTERNET_USERS_PCT", 1e-9, 0);
        // no aggregate is named for this code
        assertTrue(r.events().stream().noneMatch(e -> e.key().startsWith("compute|WLD|")));
        // the 2026 vintage's revision the README names: China 2023 at 90.6
        assertEquals(90.6, value(r, "compute|CHN|||INTERNET_USERS_PCT", "2023"), 1e-9);
    }

    @Test
    void shouldImportSdmxCsv20WithUnitMultiplierAndStatus() {
        Imports.Result r = Imports.run("unctad-dds", Imports.fixture("DATA360_UNCTAD_DE_sdmx_cut.csv"),
                LocalDate.of(2025, 12, 18));
        assertAddsUp(r);
        assertEquals(0, r.report().rejected());
        assertTrue(r.report().skipped() > 0, "the ICT_CORE rows of the cut are mapped by nothing");
        assertAllDecode(r);
        // UNIT_MULT 6 applied, then the mapping's scale back to USD_MN: the figures as the panel (US$ millions)
        assertMatchesPanel(r, "digitally_deliverable_services_exports.csv", "trade|%s|WLD|EXPORT|DDS", 1e-9, 0);
        ImportItem.Event world = r.events().stream()
                .filter(e -> e.key().equals("trade|WLD|WLD|EXPORT|DDS") && e.period().equals("2010")).findFirst()
                .orElseThrow();
        assertEquals("USD_MN", Imports.data(world).get("unit").asText());
        assertEquals(1835732.0, Imports.data(world).get("value").asDouble(), 0);
        assertEquals("A", world.status());
        assertEquals("A", Imports.json(world).get("obsstatus").asText());
        // OBS_STATUS O (missing value) rows carry no OBS_VALUE: missing, never zero
        assertTrue(r.report().missing() > 200, "missing " + r.report().missing());
        assertTrue(r.events().stream().noneMatch(e -> "O".equals(e.status())));
    }

    @Test
    void shouldImportOecdDigitalStriAsPolicyIndexValuesAtTheYearsEnd() {
        Imports.Result r = Imports.run("oecd-dstri", Imports.fixture("OECD_GoingDigital_indicator_73_DSTRI.csv"),
                LocalDate.of(2025, 11, 29));
        assertEquals(2904, r.report().read());
        assertAddsUp(r);
        assertAllDecode(r);
        for (String[] row : panel("dstri_pillars.csv")) {
            String measure = Map.of("Indicator DSTRI", "DSTRI", "Infrastructure and connectivity",
                    "DSTRI_INFRASTRUCTURE", "Electronic transactions", "DSTRI_ELECTRONIC_TRANSACTIONS",
                    "Payment system", "DSTRI_PAYMENT_SYSTEM", "Intellectual property rights",
                    "DSTRI_INTELLECTUAL_PROPERTY", "Other barriers affecting trade in digitally enabled services",
                    "DSTRI_OTHER_BARRIERS").get(row[2]);
            Double got = valueOrNull(r, "policy|" + row[0] + "|||" + measure, row[1] + "-12-31");
            if (row[3].isEmpty()) {
                assertNull(got, String.join(",", row));
            } else {
                assertEquals(Double.parseDouble(row[3]), got, 1e-12, String.join(",", row));
            }
        }
        ImportItem.Event e = r.events().get(0);
        assertEquals("NEUTRAL", Imports.data(e).get("direction").asText());
        assertTrue(Imports.data(e).get("effective").asText().endsWith("-12-31"));
    }

    @Test
    void shouldImportTheGdpDataPackageAsLongCsv() {
        Imports.Result r = Imports.run("datasets-gdp", Imports.fixture("datasets-gdp.csv"), LocalDate.of(2024, 10, 21));
        assertEquals(13979, r.report().read());
        assertAddsUp(r);
        assertEquals(0, r.report().rejected());
        assertAllDecode(r);
        assertMatchesPanel(r, "gdp_current_usd.csv", "macro|%s|||GDP_USD", 1e-12, 0);
        assertTrue(periods(r, "macro|WLD|||GDP_USD").contains("2023"));
    }

    @Test
    void shouldSumEpochGpuClustersOperationalAtEachYearEndByCountry() {
        Imports.Result r = Imports.run("epoch-gpu-clusters", Imports.fixture("epoch_gpu_clusters.csv"),
                LocalDate.of(2025, 12, 17));
        assertAddsUp(r);
        assertAllDecode(r);
        assertTrue(r.report().skipped() > 0, "planned clusters and those outside the standard analysis");
        // the panel rounds to 0.1
        // the panel rounds to 0.1, and writes 0 for members with no cluster recorded (no row in the list at all)
        Set<String> listed = r.events().stream().map(e -> e.key().split("\\|")[1]).collect(Collectors.toSet());
        List<String[]> unlisted = panel("epoch_gpu_cluster_h100e.csv").stream().filter(p -> !listed.contains(p[0]))
                .toList();
        assertTrue(unlisted.stream().allMatch(p -> Double.parseDouble(p[2]) == 0), "only members without clusters");
        assertMatchesPanel(r, "epoch_gpu_cluster_h100e.csv", "compute|%s|||GPU_CLUSTER_H100E", 0, 0.051, listed);
        ImportItem.Event e = r.events().get(0);
        assertEquals("COUNT", Imports.data(e).get("unit").asText());
    }

    @Test
    void shouldGiveTheSameIdsWhenTheSamePublicationIsImportedTwice() {
        List<String> first = Imports.run("wdi-bulk", Imports.fixture("API_BX.GSR.CCIS.CD_DS2_en_csv_v2.csv"), null)
                .events().stream().map(ImportItem.Event::id).toList();
        List<String> second = Imports.run("wdi-bulk", Imports.fixture("API_BX.GSR.CCIS.CD_DS2_en_csv_v2.csv"), null)
                .events().stream().map(ImportItem.Event::id).toList();
        assertEquals(first, second);
        assertEquals(first.size(), Set.copyOf(first).size(), "one id per figure");
    }

    static void assertAddsUp(Imports.Result r) {
        ImportReport p = r.report();
        assertEquals(p.read(), p.published() + p.retracted() + p.missing() + p.skipped() + p.rejected());
        assertEquals(p.published(), r.events().size());
        assertEquals(p.retracted(), r.retractions().size());
    }

    /** Every event, through the service's own decoder as if it had come over HTTP. */
    static void assertAllDecode(Imports.Result r) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertFalse(r.events().isEmpty());
        for (ImportItem.Event e : r.events()) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(EventDecoder.CONTENT_TYPE, EventDecoder.STRUCTURED.getBytes(StandardCharsets.UTF_8));
            EventDecoder.Decoded decoded = EventDecoder.decode(headers, e.json(), null, today);
            if (decoded instanceof EventDecoder.Rejected rejected) {
                fail(new String(e.json(), StandardCharsets.UTF_8) + " rejected: " + rejected.detail());
            }
            EventDecoder.Accepted accepted = assertInstanceOf(EventDecoder.Accepted.class, decoded);
            assertEquals(e.feed(), accepted.feed());
            Feed feed = accepted.feed();
            assertTrue(e.key().startsWith(feed.label() + "|"));
        }
    }

    /**
     * Each panel row of an RCEP member: an event of that value, or none where the panel has no value.
     *
     * @param keyFormat the series key with %s for the country
     */
    static void assertMatchesPanel(Imports.Result r, String panelFile, String keyFormat, double relative,
            double absolute) {
        assertMatchesPanel(r, panelFile, keyFormat, relative, absolute, RCEP);
    }

    static void assertMatchesPanel(Imports.Result r, String panelFile, String keyFormat, double relative,
            double absolute, Set<String> countries) {
        Map<String, Double> values = r.events().stream().collect(Collectors.toMap(e -> e.key() + "@" + e.period(),
                e -> Imports.data(e).get("value").asDouble()));
        int compared = 0;
        for (String[] row : panel(panelFile)) {
            assertTrue(RCEP.contains(row[0]), row[0]);
            if (!countries.contains(row[0])) {
                continue;
            }
            Double got = values.get(String.format(keyFormat, row[0]) + "@" + row[1]);
            if (row.length < 3 || row[2].isEmpty()) {
                assertNull(got, String.join(",", row) + " is missing in the panel");
            } else {
                double want = Double.parseDouble(row[2]);
                if (got == null) {
                    fail(String.join(",", row) + ": no event");
                }
                assertEquals(want, got, Math.max(Math.abs(want) * relative, absolute), String.join(",", row));
                compared++;
            }
        }
        assertTrue(compared > 50, "compared " + compared + " values of " + panelFile);
    }

    static List<String[]> panel(String name) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Imports.fixture("panel/" + name),
                StandardCharsets.UTF_8))) {
            return in.lines().filter(l -> !l.startsWith("#") && !l.startsWith("iso3,") && !l.isBlank())
                    .map(l -> l.split(",", -1)).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Set<String> periods(Imports.Result r, String key) {
        return r.events().stream().filter(e -> e.key().equals(key)).map(ImportItem.Event::period)
                .collect(Collectors.toSet());
    }

    static double value(Imports.Result r, String key, String period) {
        Double v = valueOrNull(r, key, period);
        if (v == null) {
            fail("no event " + key + " " + period);
        }
        return v;
    }

    static Double valueOrNull(Imports.Result r, String key, String period) {
        Map<String, ImportItem.Event> byKey = new HashMap<>();
        r.events().forEach(e -> byKey.put(e.key() + "@" + e.period(), e));
        ImportItem.Event e = byKey.get(key + "@" + period);
        if (e == null) {
            return null;
        }
        var data = Imports.data(e);
        return (data.has("indexValue") ? data.get("indexValue") : data.get("value")).asDouble();
    }
}
