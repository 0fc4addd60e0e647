package io.dtm.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every kind against hand-computed answers, with the inputs placed as the topology places them. */
class KindsTest {

    private static final Selector TRADE = new Selector("trade", null, null, null, null);

    /** One group's inputs in a sorted map, as the state store holds them. */
    private static final class Group implements IndicatorKind.Inputs {
        final Map<String, TreeMap<String, Observation>> groups = new TreeMap<>();
        String last;

        void add(IndicatorKind kind, Observation obs) {
            for (IndicatorKind.Placement p : kind.place(obs)) {
                groups.computeIfAbsent(p.group(), g -> new TreeMap<>()).put(p.slot(), obs);
                last = p.group();
            }
        }

        TreeMap<String, Observation> current;

        List<IndicatorValue> compute(IndicatorKind kind, String group, String period) {
            current = groups.get(group);
            return kind.compute(group, period, this);
        }

        @Override
        public Observation get(String slot) {
            return current.get(slot);
        }

        @Override
        public List<Observation> scan(String prefix) {
            return new ArrayList<>(current.subMap(prefix, prefix + Character.MAX_VALUE).values());
        }
    }

    private static Observation trade(String reporter, String flow, String category, String period, double value,
            Double reportedGrowth) {
        return new Observation("trade", reporter, "WLD", flow, category, period, value, "USD", "2025-01-01", "urn:t",
                reporter + flow + category + period, reportedGrowth, null, null, null, false);
    }

    private static double only(List<IndicatorValue> values) {
        assertEquals(1, values.size(), values.toString());
        return values.get(0).value();
    }

    @Test
    void shouldComputeYearOnYearGrowthAndAffectTheNextYear() {
        SeriesKind kind = new SeriesKind("g", "yoy_growth_pct", TRADE, 1, SeriesKind.Formula.YOY_GROWTH);
        Group g = new Group();
        g.add(kind, trade("CHN", "EXPORT", "DDS", "2022", 200, null));
        g.add(kind, trade("CHN", "EXPORT", "DDS", "2023", 250, null));
        assertEquals(Set.of("2023", "2024"), kind.place(trade("CHN", "EXPORT", "DDS", "2023", 1, null)).get(0).periods());
        assertEquals(25.0, only(g.compute(kind, g.last, "2023")), 1e-12);
        assertTrue(g.compute(kind, g.last, "2022").isEmpty(), "no earlier year");
    }

    @Test
    void shouldKeyEverySeriesValueByItsGroupAsTheProcessorLooksItUp() {
        for (SeriesKind.Formula f : SeriesKind.Formula.values()) {
            SeriesKind kind = new SeriesKind("s", "k", TRADE, 1, f);
            Group g = new Group();
            g.add(kind, trade("CHN", "EXPORT", "DDS", "2022", 200, 20.0));
            g.add(kind, trade("CHN", "EXPORT", "DDS", "2023", 250, 20.0));
            assertTrue(kind.groupIsItsSeries());
            assertEquals(g.last, g.compute(kind, g.last, "2023").get(0).seriesKey());
        }
    }

    @Test
    void shouldComputeCagrOverItsWindow() {
        SeriesKind kind = new SeriesKind("c", "cagr_pct", TRADE, 2, SeriesKind.Formula.CAGR);
        Group g = new Group();
        g.add(kind, trade("WLD", "EXPORT", "DDS", "2021", 100, null));
        g.add(kind, trade("WLD", "EXPORT", "DDS", "2023", 121, null));
        assertEquals(10.0, only(g.compute(kind, g.last, "2023")), 1e-12);
    }

    @Test
    void shouldComputePublishedMinusComputedGrowth() {
        SeriesKind kind = new SeriesKind("gap", "growth_consistency_gap_pp", TRADE, 1,
                SeriesKind.Formula.CONSISTENCY_GAP);
        Group g = new Group();
        g.add(kind, trade("WLD", "EXPORT", "GOODS", "2023", 237835, -4.6));
        g.add(kind, trade("WLD", "EXPORT", "GOODS", "2024", 285170, 2.1));
        assertEquals(2.1 - (285170.0 / 237835 - 1) * 100, only(g.compute(kind, g.last, "2024")), 1e-12);
    }

    @Test
    void shouldComputeShareOfNumeratorInDenominatorMatchedOnReporterPartnerAndFlow() {
        PairKind kind = PairKind.share("s", TRADE.withCategory("DDS"), TRADE.withCategory("SERVICES"));
        Group g = new Group();
        g.add(kind, trade("WLD", "EXPORT", "DDS", "2025", 49155, null));
        g.add(kind, trade("WLD", "EXPORT", "SERVICES", "2025", 82393, null));
        g.add(kind, trade("WLD", "IMPORT", "SERVICES", "2025", 1, null));
        assertEquals(49155.0 / 82393 * 100, only(g.compute(kind, "s|WLD|WLD|EXPORT", "2025")), 1e-12);
    }

    @Test
    void shouldComputeBalanceAsExportsMinusImports() {
        PairKind kind = PairKind.balance("b", TRADE.withCategory("SERVICES"));
        Group g = new Group();
        g.add(kind, trade("CHN", "EXPORT", "SERVICES", "2023", 351.8e9, null));
        g.add(kind, trade("CHN", "IMPORT", "SERVICES", "2023", 581.2e9, null));
        List<IndicatorValue> values = g.compute(kind, g.last, "2023");
        assertEquals(-229.4e9, only(values), 1e-3);
        assertEquals("", values.get(0).flow());
    }

    @Test
    void shouldComputeTheGrowthDifferentialInPercentagePoints() {
        Selector a = new Selector("trade", "RCEP", "WLD", "EXPORT", "DDS");
        Selector b = new Selector("trade", "NON_RCEP", "WLD", "EXPORT", "DDS");
        DifferentialKind kind = new DifferentialKind("d", a, b);
        Group g = new Group();
        g.add(kind, trade("RCEP", "EXPORT", "DDS", "2021", 100, null));
        g.add(kind, trade("RCEP", "EXPORT", "DDS", "2022", 118.7, null));
        g.add(kind, trade("NON_RCEP", "EXPORT", "DDS", "2021", 200, null));
        g.add(kind, trade("NON_RCEP", "EXPORT", "DDS", "2022", 218.6, null));
        assertEquals(18.7 - 9.3, only(g.compute(kind, "d", "2022")), 1e-9);
    }

    @Test
    void shouldComputeBalassaRcaAndMarketShareForEveryReporter() {
        CrossSectionKind rca = CrossSectionKind.rca("r", "EXPORT", "WLD", "WLD", "DDS", "SERVICES");
        CrossSectionKind share = CrossSectionKind.marketShare("m", "EXPORT", "WLD", "WLD", "DDS");
        Group g = new Group();
        for (IndicatorKind kind : List.of(rca, share)) {
            g.add(kind, trade("WLD", "EXPORT", "DDS", "2023", 400, null));
            g.add(kind, trade("WLD", "EXPORT", "SERVICES", "2023", 800, null));
            g.add(kind, trade("CHN", "EXPORT", "DDS", "2023", 30, null));
            g.add(kind, trade("CHN", "EXPORT", "SERVICES", "2023", 40, null));
            g.add(kind, trade("JPN", "EXPORT", "DDS", "2023", 10, null));
        }
        assertEquals((30.0 / 40) / (400.0 / 800), only(g.compute(rca, "r", "2023")), 1e-12, "JPN has no total");
        List<IndicatorValue> shares = g.compute(share, "m", "2023");
        assertEquals(Map.of("CHN", 7.5, "JPN", 2.5), Map.of(shares.get(0).reporter(), shares.get(0).value(),
                shares.get(1).reporter(), shares.get(1).value()));
    }

    @Test
    void shouldComputeTheHubGroupsShareOfTheNationalTotal() {
        HubShareKind kind = new HubShareKind("h", "INTELLIGENT_EFLOPS_FP16", "NATIONAL_HUB");
        Group g = new Group();
        g.add(kind, compute("CHN", null, 788));
        g.add(kind, compute("CHN-GUIZHOU", "NATIONAL_HUB", 300));
        g.add(kind, compute("CHN-GANSU", "NATIONAL_HUB", 330.4));
        g.add(kind, compute("CHN-SHANGHAI_LAB", "OTHER", 50));
        assertEquals(630.4 / 788 * 100, only(g.compute(kind, "h|CHN", "2025-06")), 1e-12);
    }

    @Test
    void shouldKeepOpennessPerYearFromTheIndexInForceAtYearEnd() {
        OpennessKind kind = new OpennessKind("o", "DSTRI", 2024);
        Group g = new Group();
        g.add(kind, policy("2019-01-01", 0.30));
        g.add(kind, policy("2022-01-01", 0.25));
        g.add(kind, policy("2022-12-31", 0.20));
        g.current = g.groups.get("o|KOR");
        assertEquals(Set.of("2019", "2020", "2021", "2022", "2023", "2024"), kind.periods(g));
        assertEquals(0.70, only(g.compute(kind, "o|KOR", "2021")), 1e-12);
        assertEquals(0.80, only(g.compute(kind, "o|KOR", "2022")), 1e-12, "the change on 31 Dec counts for 2022");
        assertEquals(0.80, only(g.compute(kind, "o|KOR", "2024")), 1e-12);
    }

    private static Observation compute(String region, String hubGroup, double value) {
        return new Observation("compute", region, "", "", "INTELLIGENT_EFLOPS_FP16", "2025-06", value, "EFLOPS_FP16",
                "2025-09-01", "urn:t", region, null, null, null, hubGroup, false);
    }

    private static Observation policy(String effective, double dstri) {
        return new Observation("policy", "KOR", "", "", "DSTRI", effective, dstri, "INDEX", effective, "urn:t",
                effective, null, "NEUTRAL", null, null, false);
    }
}
