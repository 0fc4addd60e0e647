package io.dtm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtm.events.IndicatorValue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Publishing only the periods that changed exports what publishing the whole series would: the same latest value
 * and the same last {@code historyPeriods} periods, whatever the order in which periods arrive, change and are
 * withdrawn (seeded shuffles).
 */
class IndicatorGaugesTest {

    private static final int HISTORY = 5;
    private static final String SERIES = "growth|CHN|WLD|EXPORT|DDS";

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldExportWhatAWholePublicationExportsWhenOnlyChangedPeriodsArePublished(long seed) {
        Random random = new Random(seed);
        MeterRegistry incremental = new SimpleMeterRegistry();
        IndicatorGauges gauges = new IndicatorGauges(incremental, HISTORY, 100);
        NavigableMap<String, IndicatorValue> history = new TreeMap<>();
        for (int step = 0; step < 300; step++) {
            Set<String> changed = new HashSet<>();
            boolean withdrawn = false;
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                String period = Integer.toString(2000 + random.nextInt(20));
                if (random.nextInt(10) == 0 && history.size() > 1) {
                    withdrawn |= history.remove(period) != null;
                } else {
                    history.put(period, value(period, random.nextInt(1000) / 10.0));
                    changed.add(period);
                }
            }
            if (history.isEmpty()) {
                continue;
            }
            if (withdrawn) {
                gauges.publish(SERIES, history);
            } else {
                gauges.publishChanged(SERIES, history, changed);
            }
            MeterRegistry whole = new SimpleMeterRegistry();
            new IndicatorGauges(whole, HISTORY, 100).publish(SERIES, history);
            assertEquals(exported(whole), exported(incremental), "step " + step + ", history " + history.keySet());
        }
    }

    /** Name and period → value of every gauge. */
    private static Map<String, Double> exported(MeterRegistry registry) {
        List<Gauge> all = new ArrayList<>(registry.find("dtm.indicator.period.value").gauges());
        all.addAll(registry.find("dtm.indicator.value").gauges());
        return all.stream().collect(Collectors.toMap(
                g -> g.getId().getName() + "@" + g.getId().getTag("period"), Gauge::value));
    }

    private static IndicatorValue value(String period, double v) {
        return new IndicatorValue("growth", "yoy_growth_pct", "CHN", "WLD", "EXPORT", "DDS", period, v, false,
                List.of(), 0);
    }
}
