package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code indicators-compute}: stores each input in its group, recomputes the group's values for the periods the
 * input affects, and forwards only what changed (a value no longer computable becomes a tombstone). Exports the
 * series of the groups its task owns; a task that closes stops exporting them.
 */
final class IndicatorProcessor implements Processor<String, GroupInput, String, IndicatorValue> {

    static final char SEP = '#';

    private final Catalogue catalogue;
    private final DtmMetrics metrics;
    private final IndicatorGauges gauges;
    /** Output series → period → value, for the gauges of this task. */
    private final Map<String, NavigableMap<String, IndicatorValue>> series = new HashMap<>();
    private ProcessorContext<String, IndicatorValue> context;
    private KeyValueStore<String, Observation> inputs;
    private KeyValueStore<String, IndicatorValue> values;

    IndicatorProcessor(Catalogue catalogue, DtmMetrics metrics, IndicatorGauges gauges) {
        this.catalogue = catalogue;
        this.metrics = metrics;
        this.gauges = gauges;
    }

    @Override
    public void init(ProcessorContext<String, IndicatorValue> context) {
        this.context = context;
        this.inputs = context.getStateStore(IndicatorsTopology.INPUT_STORE);
        this.values = context.getStateStore(IndicatorsTopology.VALUE_STORE);
        try (KeyValueIterator<String, IndicatorValue> all = values.all()) {
            while (all.hasNext()) {
                IndicatorValue v = all.next().value;
                series.computeIfAbsent(v.seriesKey(), k -> new TreeMap<>()).put(v.period(), v);
            }
        }
        series.forEach(gauges::publish);
    }

    @Override
    public void process(Record<String, GroupInput> record) {
        GroupInput in = record.value();
        IndicatorKind kind = catalogue.kinds().get(in.entry());
        if (kind == null) {
            return; // an entry no longer in the catalogue
        }
        String group = record.key();
        inputs.put(group + SEP + in.slot(), in.observation());
        IndicatorKind.Inputs view = new StoreInputs(group);
        Collection<String> periods = in.periods() != null ? in.periods() : kind.periods(view);
        Set<String> touched = new HashSet<>();
        if (in.periods() == null) {
            withdrawPeriodsOutside(group, Set.copyOf(periods), record, touched);
        }
        for (String period : periods) {
            Map<String, IndicatorValue> before = existing(group + SEP + period + SEP);
            for (IndicatorValue value : kind.compute(group, period, view)) {
                IndicatorValue old = before.remove(value.seriesKey());
                touched.add(value.seriesKey());
                if (!value.sameAs(old)) {
                    IndicatorValue stamped = value.computedAt(context.currentSystemTimeMs());
                    values.put(valueKey(group, stamped), stamped);
                    series.computeIfAbsent(stamped.seriesKey(), k -> new TreeMap<>()).put(period, stamped);
                    context.forward(record.withKey(stamped.topicKey()).withValue(stamped)
                            .withHeaders(new RecordHeaders()));
                    metrics.indicatorUpdated(stamped.indicator());
                }
            }
            before.values().forEach(gone -> withdraw(group, gone, record, touched));
        }
        touched.forEach(this::export);
        metrics.eventToIndicator(Duration.ofMillis(context.currentSystemTimeMs() - record.timestamp()));
    }

    private void withdrawPeriodsOutside(String group, Set<String> periods, Record<String, GroupInput> record,
            Set<String> touched) {
        for (IndicatorValue v : existing(group + SEP).values()) {
            if (!periods.contains(v.period())) {
                withdraw(group, v, record, touched);
            }
        }
    }

    private void withdraw(String group, IndicatorValue gone, Record<String, GroupInput> record, Set<String> touched) {
        values.delete(valueKey(group, gone));
        NavigableMap<String, IndicatorValue> history = series.get(gone.seriesKey());
        if (history != null) {
            history.remove(gone.period());
        }
        touched.add(gone.seriesKey());
        context.forward(record.withKey(gone.topicKey()).<IndicatorValue>withValue(null).withHeaders(new RecordHeaders()));
    }

    private void export(String seriesKey) {
        NavigableMap<String, IndicatorValue> history = series.get(seriesKey);
        if (history == null || history.isEmpty()) {
            series.remove(seriesKey);
            gauges.remove(seriesKey);
        } else {
            gauges.publish(seriesKey, history);
        }
    }

    /** The stored values under a key prefix, by output series (a prefix ending in a period) or by topic key. */
    private Map<String, IndicatorValue> existing(String prefix) {
        Map<String, IndicatorValue> found = new HashMap<>();
        boolean onePeriod = prefix.chars().filter(c -> c == SEP).count() >= 2;
        try (KeyValueIterator<String, IndicatorValue> it = values.prefixScan(prefix, Serdes.String().serializer())) {
            while (it.hasNext()) {
                KeyValue<String, IndicatorValue> kv = it.next();
                found.put(onePeriod ? kv.value.seriesKey() : kv.value.topicKey(), kv.value);
            }
        }
        return found;
    }

    private static String valueKey(String group, IndicatorValue v) {
        return group + SEP + v.period() + SEP + v.seriesKey();
    }

    @Override
    public void close() {
        series.keySet().forEach(gauges::remove);
        series.clear();
    }

    /** The inputs of one group, read from the input store. */
    private final class StoreInputs implements IndicatorKind.Inputs {
        private final String prefix;

        StoreInputs(String group) {
            this.prefix = group + SEP;
        }

        @Override
        public Observation get(String slot) {
            return inputs.get(prefix + slot);
        }

        @Override
        public List<Observation> scan(String slotPrefix) {
            List<Observation> found = new ArrayList<>();
            try (KeyValueIterator<String, Observation> it = inputs.prefixScan(prefix + slotPrefix,
                    Serdes.String().serializer())) {
                it.forEachRemaining(kv -> found.add(kv.value));
            }
            return found;
        }
    }
}
