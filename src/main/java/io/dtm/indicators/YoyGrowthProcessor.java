package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.events.Period;
import io.dtm.events.SeriesKey;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code indicators-yoy-growth}: keeps each series' observations by period and recomputes the year-on-year growth
 * of the period that arrived and of the year after it, so the result does not depend on arrival order; a value
 * that can no longer be computed is withdrawn with a tombstone. Exports the latest period of the series it owns.
 */
final class YoyGrowthProcessor implements Processor<String, Observation, String, IndicatorValue> {

    /** The catalogue entry: year-on-year growth of every trade series. */
    static final String ID = "trade-yoy-growth";
    static final String KIND = "yoy_growth_pct";

    private final DtmMetrics metrics;
    private final IndicatorGauges gauges;
    private final Set<String> exported = new HashSet<>();
    private ProcessorContext<String, IndicatorValue> context;
    private KeyValueStore<String, Observation> observations;
    private KeyValueStore<String, IndicatorValue> values;

    YoyGrowthProcessor(DtmMetrics metrics, IndicatorGauges gauges) {
        this.metrics = metrics;
        this.gauges = gauges;
    }

    /** Whether an observation is an input of this indicator. */
    static boolean selects(Observation obs) {
        return "trade".equals(obs.feed()) && obs.value() != null;
    }

    @Override
    public void init(ProcessorContext<String, IndicatorValue> context) {
        this.context = context;
        this.observations = context.getStateStore(IndicatorsTopology.SERIES_STORE);
        this.values = context.getStateStore(IndicatorsTopology.INDICATOR_STORE);
        Map<String, IndicatorValue> latest = new HashMap<>();
        try (KeyValueIterator<String, IndicatorValue> all = values.all()) {
            while (all.hasNext()) {
                KeyValue<String, IndicatorValue> entry = all.next();
                String series = seriesOf(entry.key);
                latest.merge(series, entry.value, (a, b) -> a.period().compareTo(b.period()) >= 0 ? a : b);
            }
        }
        latest.forEach(this::export);
    }

    @Override
    public void process(Record<String, Observation> record) {
        Observation obs = record.value();
        SeriesKey series = obs.series();
        observations.put(series.withPeriod(obs.period()), obs);
        recompute(series, obs.period(), record);
        Period.shiftYears(obs.period(), 1).ifPresent(next -> recompute(series, next, record));
        refreshGauge(series);
        metrics.eventToIndicator(Duration.ofMillis(context.currentSystemTimeMs() - record.timestamp()));
    }

    private void recompute(SeriesKey series, String period, Record<String, Observation> trigger) {
        Observation current = observations.get(series.withPeriod(period));
        Optional<Observation> previous = Period.shiftYears(period, -1)
                .map(p -> observations.get(series.withPeriod(p)));
        String key = ID + "|" + series.withPeriod(period);
        OptionalDouble growth = current == null || previous.isEmpty()
                ? OptionalDouble.empty()
                : Formulas.yoyGrowthPct(current.value(), previous.get().value());
        if (growth.isPresent()) {
            Observation prev = previous.get();
            IndicatorValue value = new IndicatorValue(ID, KIND, series.reporter(), series.partner(), series.flow(),
                    series.category(), period, growth.getAsDouble(), current.synthetic() || prev.synthetic(),
                    List.of(IndicatorValue.Input.of(current), IndicatorValue.Input.of(prev)),
                    context.currentSystemTimeMs());
            values.put(key, value);
            context.forward(trigger.withKey(key).withValue(value).withHeaders(new RecordHeaders()));
            metrics.indicatorUpdated(KIND);
        } else if (values.get(key) != null) {
            values.delete(key);
            context.forward(trigger.withKey(key).<IndicatorValue>withValue(null)
                    .withHeaders(new RecordHeaders()));
        }
    }

    private void refreshGauge(SeriesKey series) {
        String prefix = ID + "|" + series + "|";
        IndicatorValue latest = null;
        try (KeyValueIterator<String, IndicatorValue> it = values.prefixScan(prefix, Serdes.String().serializer())) {
            while (it.hasNext()) {
                IndicatorValue v = it.next().value;
                if (latest == null || v.period().compareTo(latest.period()) > 0) {
                    latest = v;
                }
            }
        }
        String gaugeKey = ID + "|" + series;
        if (latest == null) {
            gauges.remove(gaugeKey);
            exported.remove(gaugeKey);
        } else {
            export(gaugeKey, latest);
        }
    }

    private void export(String gaugeKey, IndicatorValue latest) {
        gauges.publish(gaugeKey, latest);
        exported.add(gaugeKey);
    }

    /** {@code id|series} of a value key {@code id|series|period}. */
    private static String seriesOf(String valueKey) {
        return valueKey.substring(0, valueKey.lastIndexOf('|'));
    }

    @Override
    public void close() {
        exported.forEach(gauges::remove);
        exported.clear();
    }
}
