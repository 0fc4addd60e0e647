package io.dtm.metrics;

import io.dtm.events.IndicatorValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
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
 */
public final class IndicatorGauges {

    private final MeterRegistry registry;
    private final int historyPeriods;
    private final int maxSeries;
    private final Counter dropped;
    private final Map<String, Exported> exported = new ConcurrentHashMap<>();
    private final Set<String> droppedSeries = ConcurrentHashMap.newKeySet();

    public IndicatorGauges(MeterRegistry registry, int historyPeriods, int maxSeries) {
        this.registry = registry;
        this.historyPeriods = historyPeriods;
        this.maxSeries = maxSeries;
        this.dropped = Counter.builder("dtm.indicator.series.dropped")
                .description("Indicator series not exported because dtm.indicators.max-series were exported")
                .register(registry);
    }

    /** Exports a series' latest period and recent history (periods in ascending order). */
    public synchronized void publish(String seriesKey, NavigableMap<String, IndicatorValue> history) {
        if (history.isEmpty()) {
            remove(seriesKey);
            return;
        }
        Exported series = exported.get(seriesKey);
        if (series == null) {
            if (exported.size() >= maxSeries) {
                if (droppedSeries.add(seriesKey)) {
                    dropped.increment();
                }
                return;
            }
            series = new Exported(history.lastEntry().getValue());
            exported.put(seriesKey, series);
        }
        series.latest.value = history.lastEntry().getValue().value();
        int kept = 0;
        String oldestKept = null;
        for (IndicatorValue v : history.descendingMap().values()) {
            if (kept == historyPeriods) {
                break;
            }
            Holder holder = series.periods.get(v.period());
            if (holder == null) {
                series.periods.put(v.period(), newHolder(series, v.period(), v.value()));
            } else {
                holder.value = v.value();
            }
            oldestKept = v.period();
            kept++;
        }
        if (series.periods.size() > kept) {
            String cutoff = oldestKept;
            for (Iterator<Map.Entry<String, Holder>> it = series.periods.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, Holder> e = it.next();
                if (e.getKey().compareTo(cutoff) < 0 || !history.containsKey(e.getKey())) {
                    registry.remove(e.getValue().gauge);
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
        series.latest.value = history.lastEntry().getValue().value();
        for (String period : changed) {
            IndicatorValue v = history.get(period);
            if (v == null) {
                publish(seriesKey, history);
                return;
            }
            Holder holder = series.periods.get(period);
            if (holder != null) {
                holder.value = v.value();
            } else if (historyPeriods > 0 && (series.periods.size() < historyPeriods
                    || period.compareTo(series.periods.firstKey()) > 0)) {
                series.periods.put(period, newHolder(series, period, v.value()));
                if (series.periods.size() > historyPeriods) {
                    registry.remove(series.periods.pollFirstEntry().getValue().gauge);
                }
            }
        }
    }

    private Holder newHolder(Exported series, String period, double value) {
        Holder holder = new Holder();
        holder.value = value;
        holder.gauge = Gauge.builder("dtm.indicator.period.value", holder, h -> h.value)
                .description("Value of an indicator series for one of its latest periods")
                .tags(series.tags.and("period", period)).register(registry);
        return holder;
    }

    /** Stops exporting the series. */
    public synchronized void remove(String seriesKey) {
        droppedSeries.remove(seriesKey);
        Exported gone = exported.remove(seriesKey);
        if (gone != null) {
            registry.remove(gone.latest.gauge);
            for (Iterator<Holder> it = gone.periods.values().iterator(); it.hasNext();) {
                registry.remove(it.next().gauge);
            }
        }
    }

    /** How many series are exported. */
    public int size() {
        return exported.size();
    }

    private final class Exported {
        final Tags tags;
        final Holder latest = new Holder();
        final TreeMap<String, Holder> periods = new TreeMap<>();

        Exported(IndicatorValue v) {
            tags = Tags.of("indicator", v.indicator(), "id", v.id(), "reporter", v.reporter(), "partner", v.partner(),
                    "flow", v.flow(), "category", v.category(), "synthetic", Boolean.toString(v.synthetic()));
            latest.gauge = Gauge.builder("dtm.indicator.value", latest, h -> h.value)
                    .description("Latest period's value of an indicator series").tags(tags).register(registry);
        }
    }

    private static final class Holder {
        volatile double value = Double.NaN;
        Gauge gauge;
    }
}
