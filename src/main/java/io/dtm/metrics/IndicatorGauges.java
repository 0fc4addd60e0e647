package io.dtm.metrics;

import io.dtm.events.IndicatorValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * Exports a series' latest period and recent history (periods in ascending order; only the last
     * {@code historyPeriods} and the latest are read).
     *
     * @return whether the series is exported (false: left out by the cap)
     */
    public synchronized boolean publish(String seriesKey, NavigableMap<String, IndicatorValue> history) {
        if (history.isEmpty()) {
            remove(seriesKey);
            return false;
        }
        Exported series = exported(seriesKey, history.lastEntry().getValue());
        if (series == null) {
            return false;
        }
        series.latestPeriod = null; // the history is whole: its last period is the latest
        series.latest(history.lastEntry().getValue());
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
        return true;
    }

    /**
     * Exports values of a series that is exported already ({@link #exports}) and whose other periods did not
     * change (no period withdrawn: {@link #publish} the series then): a value of the latest period or a later one
     * becomes the latest, a new period enters the history kept, pushing its oldest period out when it is full.
     *
     * @return false, with nothing done, when the series is not exported (publish it whole then)
     */
    public synchronized boolean publishChanged(String seriesKey, Collection<IndicatorValue> changed) {
        Exported series = exported.get(seriesKey);
        if (series == null) {
            return false;
        }
        changed.forEach(v -> keep(series, v));
        return true;
    }

    /**
     * Adds one value of a series to what is exported, the series if there is room (a series is thus built from
     * its values in any order, none withdrawn): how a task that starts exports what its store holds.
     *
     * @return whether the series is exported
     */
    public synchronized boolean offer(String seriesKey, IndicatorValue value) {
        Exported series = exported(seriesKey, value);
        if (series == null) {
            return false;
        }
        keep(series, value);
        return true;
    }

    /** Whether the series is exported. */
    public boolean exports(String seriesKey) {
        return exported.containsKey(seriesKey);
    }

    /** Whether a series not exported yet would be; if not, counts it as left out (once). */
    public synchronized boolean admits(String seriesKey) {
        if (exported.containsKey(seriesKey) || exported.size() < maxSeries) {
            return true;
        }
        if (droppedSeries.add(seriesKey)) {
            dropped.increment();
        }
        return false;
    }

    private void keep(Exported series, IndicatorValue v) {
        series.latest(v);
        if (historyPeriods == 0) {
            return;
        }
        String period = v.period();
        TreeMap<String, Double> periods = series.periods;
        if (periods.size() < historyPeriods || period.compareTo(periods.firstKey()) >= 0) {
            // a period already kept is replaced; a new one enters, pushing the oldest out when the history is full
            if (periods.put(period, v.value()) == null && periods.size() > historyPeriods) {
                periods.pollFirstEntry();
            }
        }
    }

    /** The series as exported, new if there is room; {@code null} (and counted once) when there is none. */
    private Exported exported(String seriesKey, IndicatorValue any) {
        Exported series = exported.get(seriesKey);
        if (series == null) {
            if (!admits(seriesKey)) {
                return null;
            }
            series = new Exported(any);
            exported.put(seriesKey, series);
        }
        return series;
    }

    /** Stops exporting the series. */
    public synchronized void remove(String seriesKey) {
        droppedSeries.remove(seriesKey);
        exported.remove(seriesKey);
    }

    /** How many of the latest periods each series exports besides its latest. */
    public int historyPeriods() {
        return historyPeriods;
    }

    /** How many series are exported. */
    public int size() {
        return exported.size();
    }

    /** One exported series: its label values and, by period, the values of its latest periods. */
    private static final class Exported {
        final List<String> labels;
        volatile double latest = Double.NaN;
        /** The period of {@link #latest}. */
        String latestPeriod;
        /** Read and written under the lock of the {@link IndicatorGauges} (the collector takes it too). */
        final TreeMap<String, Double> periods = new TreeMap<>();

        /** Takes {@code v} as the latest value unless a later period is known (publish sets it whole first). */
        void latest(IndicatorValue v) {
            if (latestPeriod == null || v.period().compareTo(latestPeriod) >= 0) {
                latestPeriod = v.period();
                latest = v.value();
            }
        }

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
            synchronized (IndicatorGauges.this) {
                return collectNow();
            }
        }

        private List<MetricFamilySamples> collectNow() {
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
