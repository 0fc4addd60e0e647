package io.dtm.metrics;

import io.dtm.events.IndicatorValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Exports indicator series, at full double precision, with a bounded number of series:
 * <ul>
 * <li>{@code dtm_indicator_value{indicator,id,reporter,partner,flow,category,synthetic}}: the latest period</li>
 * <li>{@code dtm_indicator_period_value{…the same…,period}}: each of the last {@code historyPeriods} periods</li>
 * <li>{@code dtm_indicator_series_dropped_total}: series left out because {@code maxSeries} were exported</li>
 * </ul>
 * {@code indicator} is the kind, {@code id} the catalogue entry; labels that do not apply are empty strings. A
 * series is exported by the instance whose stream task owns it: the task publishes its series when it starts
 * and removes them when it closes, so after a rebalance each series is exported exactly once.
 * <p>
 * The two gauge families are a Prometheus collector read at scrape time from this copy of the values, registered
 * with the Prometheus registry behind the meter registry (one of its own, {@link #exposition()}, when there is
 * none): a new period is then a map entry, not a meter to register — up to {@code maxSeries × (historyPeriods + 1)}
 * of them — and publishing a changed value costs a map write.
 */
public final class IndicatorGauges {

    static final String VALUE = "dtm_indicator_value";
    static final String PERIOD_VALUE = "dtm_indicator_period_value";
    /** In alphabetical order, as Micrometer writes the labels of its meters. */
    private static final List<String> LABELS = List.of("category", "flow", "id", "indicator", "partner", "reporter",
            "synthetic");
    private static final List<String> PERIOD_LABELS = List.of("category", "flow", "id", "indicator", "partner",
            "period", "reporter", "synthetic");
    /** Where {@code period} goes among the {@link #LABELS}. */
    private static final int PERIOD_AT = PERIOD_LABELS.indexOf("period");

    private final int historyPeriods;
    private final int maxSeries;
    private final Counter dropped;
    private final Map<String, Exported> exported = new ConcurrentHashMap<>();
    private final Set<String> droppedSeries = ConcurrentHashMap.newKeySet();
    private final CollectorRegistry exposition;

    /**
     * @throws IllegalStateException when the Prometheus registry has the gauge families already (a second
     *                               instance on one meter registry)
     */
    public IndicatorGauges(MeterRegistry registry, int historyPeriods, int maxSeries) {
        this.historyPeriods = historyPeriods;
        this.maxSeries = maxSeries;
        this.dropped = Counter.builder("dtm.indicator.series.dropped")
                .description("Indicator series not exported because dtm.indicators.max-series were exported")
                .register(registry);
        this.exposition = prometheusOf(registry).orElseGet(() -> new CollectorRegistry(true));
        try {
            new SeriesCollector().register(exposition);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the indicator gauges are exported once per Prometheus registry: "
                    + e.getMessage(), e);
        }
    }

    /** The Prometheus registry the gauge families are collected by. */
    public CollectorRegistry exposition() {
        return exposition;
    }

    private static Optional<CollectorRegistry> prometheusOf(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return Optional.of(prometheus.getPrometheusRegistry());
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                Optional<CollectorRegistry> found = prometheusOf(member);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** Exports a series' latest period and recent history (periods in ascending order). */
    public synchronized void publish(String seriesKey, NavigableMap<String, IndicatorValue> history) {
        if (history.isEmpty()) {
            remove(seriesKey);
            return;
        }
        Exported series = exported(seriesKey, history);
        if (series == null) {
            return;
        }
        series.latest = history.lastEntry().getValue().value();
        int kept = 0;
        String oldestKept = null;
        for (IndicatorValue v : history.descendingMap().values()) {
            if (kept == historyPeriods) {
                break;
            }
            series.periods.put(v.period(), v.value());
            oldestKept = v.period();
            kept++;
        }
        if (series.periods.size() > kept) {
            String cutoff = oldestKept;
            for (Iterator<String> it = series.periods.keySet().iterator(); it.hasNext();) {
                String period = it.next();
                if (cutoff == null || period.compareTo(cutoff) < 0 || !history.containsKey(period)) {
                    it.remove();
                }
            }
        }
    }

    /**
     * Exports the periods of a series whose value changed (not withdrawn: {@link #publish} then), and its latest
     * period: a new period enters the history kept, pushing its oldest period out when it is full.
     */
    public synchronized void publishChanged(String seriesKey, NavigableMap<String, IndicatorValue> history,
            Set<String> changed) {
        Exported series = exported.get(seriesKey);
        if (series == null) {
            publish(seriesKey, history);
            return;
        }
        series.latest = history.lastEntry().getValue().value();
        for (String period : changed) {
            IndicatorValue v = history.get(period);
            if (v == null) {
                publish(seriesKey, history);
                return;
            }
            if (series.periods.containsKey(period)) {
                series.periods.put(period, v.value());
            } else if (historyPeriods > 0 && (series.periods.size() < historyPeriods
                    || period.compareTo(series.periods.firstKey()) > 0)) {
                series.periods.put(period, v.value());
                if (series.periods.size() > historyPeriods) {
                    series.periods.pollFirstEntry();
                }
            }
        }
    }

    /** The series as exported, new if there is room; {@code null} (and counted once) when there is none. */
    private Exported exported(String seriesKey, NavigableMap<String, IndicatorValue> history) {
        Exported series = exported.get(seriesKey);
        if (series == null) {
            if (exported.size() >= maxSeries) {
                if (droppedSeries.add(seriesKey)) {
                    dropped.increment();
                }
                return null;
            }
            series = new Exported(history.lastEntry().getValue());
            exported.put(seriesKey, series);
        }
        return series;
    }

    /** Stops exporting the series. */
    public synchronized void remove(String seriesKey) {
        droppedSeries.remove(seriesKey);
        exported.remove(seriesKey);
    }

    /** How many series are exported. */
    public int size() {
        return exported.size();
    }

    /** One exported series: its label values and, by period, the values of its latest periods. */
    private static final class Exported {
        final List<String> labels;
        volatile double latest = Double.NaN;
        final ConcurrentSkipListMap<String, Double> periods = new ConcurrentSkipListMap<>();

        Exported(IndicatorValue v) {
            labels = List.of(v.category(), v.flow(), v.id(), v.indicator(), v.partner(), v.reporter(),
                    Boolean.toString(v.synthetic()));
        }
    }

    /** Both gauge families, read from the exported series at each scrape. */
    private final class SeriesCollector extends Collector implements Collector.Describable {

        /** The families without samples: the registry refuses a second collector of the same names. */
        @Override
        public List<MetricFamilySamples> describe() {
            return families(List.of(), List.of());
        }

        @Override
        public List<MetricFamilySamples> collect() {
            List<MetricFamilySamples.Sample> latest = new ArrayList<>();
            List<MetricFamilySamples.Sample> periods = new ArrayList<>();
            for (Exported series : exported.values()) {
                latest.add(new MetricFamilySamples.Sample(VALUE, LABELS, series.labels, series.latest));
                for (Map.Entry<String, Double> period : series.periods.entrySet()) {
                    List<String> labels = new ArrayList<>(PERIOD_LABELS.size());
                    labels.addAll(series.labels);
                    labels.add(PERIOD_AT, period.getKey());
                    periods.add(new MetricFamilySamples.Sample(PERIOD_VALUE, PERIOD_LABELS, labels,
                            period.getValue()));
                }
            }
            return families(latest, periods);
        }

        private static List<MetricFamilySamples> families(List<MetricFamilySamples.Sample> latest,
                List<MetricFamilySamples.Sample> periods) {
            return List.of(
                    new MetricFamilySamples(VALUE, Type.GAUGE, "Latest period's value of an indicator series",
                            latest),
                    new MetricFamilySamples(PERIOD_VALUE, Type.GAUGE,
                            "Value of an indicator series for one of its latest periods", periods));
        }
    }
}
