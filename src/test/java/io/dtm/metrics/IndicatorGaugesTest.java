package io.dtm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.IndicatorValue;
import io.dtm.support.ScrapedMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The indicator gauges: publishing only the periods that changed exports what publishing the whole series would
 * (the same latest value and the same last {@code historyPeriods} periods, whatever the order in which periods
 * arrive, change and are withdrawn: seeded shuffles); the series cap; the families on the application's Prometheus
 * registry.
 */
class IndicatorGaugesTest {

    private static final int HISTORY = 5;
    private static final String SERIES = "growth|CHN|WLD|EXPORT|DDS";

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldExportWhatAWholePublicationExportsWhenOnlyChangedPeriodsArePublished(long seed) {
        Random random = new Random(seed);
        IndicatorGauges incremental = new IndicatorGauges(new SimpleMeterRegistry(), HISTORY, 100);
        NavigableMap<String, IndicatorValue> history = new TreeMap<>();
        for (int step = 0; step < 300; step++) {
            Set<String> changed = new HashSet<>();
            boolean withdrawn = false;
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                String period = Integer.toString(2000 + random.nextInt(20));
                if (random.nextInt(10) == 0 && history.size() > 1) {
                    withdrawn |= history.remove(period) != null;
                } else {
                    history.put(period, value("CHN", period, random.nextInt(1000) / 10.0));
                    changed.add(period);
                }
            }
            if (history.isEmpty()) {
                continue;
            }
            if (withdrawn || !incremental.exports(SERIES)) {
                incremental.publish(SERIES, history);
            } else {
                incremental.publishChanged(SERIES, changed.stream().map(history::get).toList());
            }
            IndicatorGauges whole = new IndicatorGauges(new SimpleMeterRegistry(), HISTORY, 100);
            whole.publish(SERIES, history);
            assertEquals(exported(whole), exported(incremental), "step " + step + ", history " + history.keySet());
            assertEquals(Math.min(HISTORY, history.size()), exported(incremental).size() - 1);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void shouldExportWhatAWholePublicationExportsWhenTheValuesAreOfferedInAnyOrder(long seed) {
        Random random = new Random(seed);
        NavigableMap<String, IndicatorValue> history = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            String period = Integer.toString(2000 + random.nextInt(30));
            history.put(period, value("CHN", period, random.nextInt(1000) / 10.0));
        }
        List<IndicatorValue> shuffled = new ArrayList<>(history.values());
        Collections.shuffle(shuffled, random);
        IndicatorGauges offered = new IndicatorGauges(new SimpleMeterRegistry(), HISTORY, 100);
        shuffled.forEach(v -> assertTrue(offered.offer(SERIES, v)));
        IndicatorGauges whole = new IndicatorGauges(new SimpleMeterRegistry(), HISTORY, 100);
        whole.publish(SERIES, history);
        assertEquals(exported(whole), exported(offered));
        assertEquals(HISTORY + 1, exported(offered).size(), "the last periods and the latest, no more");

        IndicatorGauges capped = new IndicatorGauges(new SimpleMeterRegistry(), HISTORY, 1);
        assertTrue(capped.offer(SERIES, shuffled.get(0)));
        assertFalse(capped.offer("growth|JPN|WLD|EXPORT|DDS", value("JPN", "2001", 1)));
        assertFalse(capped.admits("growth|JPN|WLD|EXPORT|DDS"));
        assertTrue(capped.exports(SERIES));
    }

    @Test
    void shouldExportNoMoreThanTheCapAndCountEachSeriesLeftOutOnce() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IndicatorGauges gauges = new IndicatorGauges(registry, HISTORY, 2);
        for (String reporter : List.of("CHN", "JPN", "KOR", "KOR")) {
            NavigableMap<String, IndicatorValue> history = new TreeMap<>(Map.of("2024", value(reporter, "2024", 1)));
            gauges.publish("growth|" + reporter + "|WLD|EXPORT|DDS", history);
        }
        assertEquals(2, gauges.size());
        assertEquals(1.0, registry.get("dtm.indicator.series.dropped").counter().count());
        assertFalse(ScrapedMetrics.of(gauges.exposition()).has(IndicatorGauges.VALUE, "reporter", "KOR"));
    }

    @Test
    void shouldExportThroughThePrometheusRegistryBehindTheMeterRegistry() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(new SimpleMeterRegistry());
        composite.add(prometheus);
        IndicatorGauges gauges = new IndicatorGauges(composite, HISTORY, 100);
        gauges.publish(SERIES, new TreeMap<>(Map.of("2023", value("CHN", "2023", 4.5),
                "2024", value("CHN", "2024", 0.1 + 0.2))));

        String scrape = prometheus.scrape();
        assertTrue(scrape.contains("# TYPE dtm_indicator_value gauge"), scrape);
        // labels in alphabetical order, as Micrometer writes those of its meters
        assertTrue(scrape.contains("dtm_indicator_value{category=\"DDS\",flow=\"EXPORT\",id=\"growth\","
                + "indicator=\"yoy_growth_pct\",partner=\"WLD\",reporter=\"CHN\",synthetic=\"false\",}"
                + " 0.30000000000000004"), scrape);
        assertTrue(scrape.contains("dtm_indicator_period_value{category=\"DDS\",flow=\"EXPORT\",id=\"growth\","
                + "indicator=\"yoy_growth_pct\",partner=\"WLD\",period=\"2023\",reporter=\"CHN\","
                + "synthetic=\"false\",} 4.5"), scrape);
        assertTrue(scrape.contains("dtm_indicator_series_dropped_total 0.0"), scrape);
        assertThrows(IllegalStateException.class, () -> new IndicatorGauges(prometheus, HISTORY, 100));

        gauges.remove(SERIES);
        assertFalse(prometheus.scrape().contains("dtm_indicator_value{"));
    }

    /** Every series of the two gauge families (name and labels as exposed) with its value. */
    private static Map<String, Double> exported(IndicatorGauges gauges) {
        return ScrapedMetrics.of(gauges.exposition()).series();
    }

    private static IndicatorValue value(String reporter, String period, double v) {
        return new IndicatorValue("growth", "yoy_growth_pct", reporter, "WLD", "EXPORT", "DDS", period, v, false,
                List.of(), 0);
    }
}
