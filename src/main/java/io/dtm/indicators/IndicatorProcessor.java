package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.KafkaConnection;
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
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * {@code indicators-compute}: stores each input in its group, recomputes the group's values for the periods the
 * input affects, and forwards only what changed (a value no longer computable becomes a tombstone). Exports the
 * series of the groups its task owns; a task that closes stops exporting them. When the catalogue has new or
 * changed entries, the task computes their history from {@code dtm.observations.v1} as it starts, and drops the
 * values of entries that left the catalogue.
 */
final class IndicatorProcessor implements Processor<String, GroupInput, String, IndicatorValue> {

    static final char SEP = '#';

    private static final Logger LOG = Logger.getLogger(IndicatorProcessor.class);
    private static final Duration GAUGE_INTERVAL = Duration.ofSeconds(1);

    private final Catalogue catalogue;
    private final KafkaConnection kafka;
    private final DtmMetrics metrics;
    private final IndicatorGauges gauges;
    /** Output series → period → value, for the gauges of this task. */
    private final Map<String, NavigableMap<String, IndicatorValue>> series = new HashMap<>();
    /** Output series changed since the gauges were last published. */
    private final Set<String> dirty = new HashSet<>();
    private ProcessorContext<String, IndicatorValue> context;
    private KeyValueStore<String, Observation> inputs;
    private KeyValueStore<String, IndicatorValue> values;
    private KeyValueStore<String, String> entries;

    /** @param bootstrapServers where to read the history of new entries; {@code null} to skip it (tests) */
    IndicatorProcessor(Catalogue catalogue, KafkaConnection kafka, DtmMetrics metrics, IndicatorGauges gauges) {
        this.catalogue = catalogue;
        this.kafka = kafka;
        this.metrics = metrics;
        this.gauges = gauges;
    }

    @Override
    public void init(ProcessorContext<String, IndicatorValue> context) {
        this.context = context;
        this.inputs = context.getStateStore(IndicatorsTopology.INPUT_STORE);
        this.values = context.getStateStore(IndicatorsTopology.VALUE_STORE);
        this.entries = context.getStateStore(IndicatorsTopology.CATALOGUE_STORE);
        try (KeyValueIterator<String, IndicatorValue> all = values.all()) {
            while (all.hasNext()) {
                IndicatorValue v = all.next().value;
                series.computeIfAbsent(v.seriesKey(), k -> new TreeMap<>()).put(v.period(), v);
            }
        }
        catchUpWithCatalogue();
        series.forEach(gauges::publish);
        context.schedule(GAUGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> publishGauges());
    }

    /** Publishes the gauges of the series that changed (once a second rather than on every input). */
    private void publishGauges() {
        dirty.forEach(this::export);
        dirty.clear();
    }

    /**
     * Drops the inputs and values of entries that left the catalogue or changed, recomputes the changed and new
     * ones from the observations topic, and forwards the result at the first punctuation (forwarding is not
     * allowed in {@code init}); the catalogue's fingerprints are recorded only then, so a crash in between
     * repeats the catch-up.
     */
    private void catchUpWithCatalogue() {
        Map<String, String> wanted = catalogue.fingerprints();
        Set<String> stale = new HashSet<>();
        try (KeyValueIterator<String, String> known = entries.all()) {
            known.forEachRemaining(kv -> {
                if (!kv.value.equals(wanted.get(kv.key))) {
                    stale.add(kv.key);
                }
            });
        }
        Set<String> fresh = new HashSet<>(wanted.keySet());
        fresh.removeIf(id -> wanted.get(id).equals(entries.get(id)));
        if (stale.isEmpty() && fresh.isEmpty()) {
            return;
        }
        Set<String> dropped = purge(stale);
        int replayed = 0;
        if (kafka != null && !fresh.isEmpty()) {
            String groupTopic = context.applicationId() + "-" + IndicatorsTopology.GROUP_TOPIC + "-repartition";
            Record<String, GroupInput> none = new Record<>("", null, 0L);
            replayed = CatalogueBackfill.replay(kafka, groupTopic, context.taskId().partition(), catalogue,
                    fresh, (group, input) -> apply(group, input, none, false));
        }
        LOG.infof("task %s: catalogue entries %s new or changed (%d inputs replayed), %s dropped", context.taskId(),
                fresh, replayed, stale);
        List<String> tombstones = new ArrayList<>(dropped);
        context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, new Punctuator() {
            private boolean done;

            @Override
            public void punctuate(long now) {
                if (done) {
                    return;
                }
                done = true;
                publishCatchUp(fresh, stale, tombstones, now);
            }
        });
    }

    private Set<String> purge(Set<String> stale) {
        Set<String> dropped = new HashSet<>();
        if (stale.isEmpty()) {
            return dropped;
        }
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, IndicatorValue> all = values.all()) {
            all.forEachRemaining(kv -> {
                if (stale.contains(kv.value.id())) {
                    keys.add(kv.key);
                    dropped.add(kv.value.topicKey());
                    NavigableMap<String, IndicatorValue> history = series.get(kv.value.seriesKey());
                    if (history != null) {
                        history.remove(kv.value.period());
                        if (history.isEmpty()) {
                            series.remove(kv.value.seriesKey());
                            gauges.remove(kv.value.seriesKey());
                            dirty.remove(kv.value.seriesKey());
                        }
                    }
                }
            });
        }
        keys.forEach(values::delete);
        List<String> inputKeys = new ArrayList<>();
        try (KeyValueIterator<String, Observation> all = inputs.all()) {
            all.forEachRemaining(kv -> {
                if (stale.contains(entryOf(kv.key))) {
                    inputKeys.add(kv.key);
                }
            });
        }
        inputKeys.forEach(inputs::delete);
        return dropped;
    }

    private void publishCatchUp(Set<String> fresh, Set<String> stale, List<String> dropped, long now) {
        Set<String> alive = new HashSet<>();
        try (KeyValueIterator<String, IndicatorValue> all = values.all()) {
            all.forEachRemaining(kv -> {
                if (fresh.contains(kv.value.id())) {
                    alive.add(kv.value.topicKey());
                    context.forward(new Record<>(kv.value.topicKey(), kv.value, now));
                }
            });
        }
        dropped.stream().filter(key -> !alive.contains(key))
                .forEach(key -> context.forward(new Record<String, IndicatorValue>(key, null, now)));
        stale.stream().filter(id -> !catalogue.kinds().containsKey(id)).forEach(entries::delete);
        catalogue.fingerprints().forEach(entries::put);
    }

    @Override
    public void process(Record<String, GroupInput> record) {
        apply(record.key(), record.value(), record, true);
        metrics.eventToIndicator(Duration.ofMillis(context.currentSystemTimeMs() - record.timestamp()));
    }

    /** Stores one input and recomputes what it affects; forwards the changes when {@code forward}. */
    private void apply(String group, GroupInput in, Record<String, GroupInput> record, boolean forward) {
        IndicatorKind kind = catalogue.kinds().get(in.entry());
        if (kind == null) {
            return; // an entry no longer in the catalogue
        }
        inputs.put(group + SEP + in.slot(), in.observation());
        IndicatorKind.Inputs view = new StoreInputs(group);
        Collection<String> periods = in.periods() != null ? in.periods() : kind.periods(view);
        Set<String> touched = new HashSet<>();
        if (in.periods() == null) {
            withdrawPeriodsOutside(group, Set.copyOf(periods), record, touched, forward);
        }
        for (String period : periods) {
            Map<String, IndicatorValue> before = kind.groupIsItsSeries() ? stored(group, period)
                    : existing(group + SEP + period + SEP);
            for (IndicatorValue value : kind.compute(group, period, view)) {
                IndicatorValue old = before.remove(value.topicKey());
                touched.add(value.seriesKey());
                if (!value.sameAs(old)) {
                    IndicatorValue stamped = value.computedAt(context.currentSystemTimeMs());
                    values.put(valueKey(group, stamped), stamped);
                    series.computeIfAbsent(stamped.seriesKey(), k -> new TreeMap<>()).put(period, stamped);
                    if (forward) {
                        context.forward(record.withKey(stamped.topicKey()).withValue(stamped)
                                .withHeaders(new RecordHeaders()));
                    }
                    metrics.indicatorUpdated(stamped.indicator());
                }
            }
            before.values().forEach(gone -> withdraw(group, gone, record, touched, forward));
        }
        dirty.addAll(touched);
    }

    private void withdrawPeriodsOutside(String group, Set<String> periods, Record<String, GroupInput> record,
            Set<String> touched, boolean forward) {
        for (IndicatorValue v : existing(group + SEP).values()) {
            if (!periods.contains(v.period())) {
                withdraw(group, v, record, touched, forward);
            }
        }
    }

    private void withdraw(String group, IndicatorValue gone, Record<String, GroupInput> record, Set<String> touched,
            boolean forward) {
        values.delete(valueKey(group, gone));
        NavigableMap<String, IndicatorValue> history = series.get(gone.seriesKey());
        if (history != null) {
            history.remove(gone.period());
        }
        touched.add(gone.seriesKey());
        if (forward) {
            context.forward(record.withKey(gone.topicKey()).<IndicatorValue>withValue(null)
                    .withHeaders(new RecordHeaders()));
        }
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

    /** The stored values under a key prefix (a group, or a group and period), by topic key. */
    private Map<String, IndicatorValue> existing(String prefix) {
        Map<String, IndicatorValue> found = new HashMap<>();
        try (KeyValueIterator<String, IndicatorValue> it = values.prefixScan(prefix, Serdes.String().serializer())) {
            while (it.hasNext()) {
                KeyValue<String, IndicatorValue> kv = it.next();
                found.put(kv.value.topicKey(), kv.value);
            }
        }
        return found;
    }

    /** The stored value of a group that is its own output series, for one period, by topic key (0 or 1 entry). */
    private Map<String, IndicatorValue> stored(String group, String period) {
        Map<String, IndicatorValue> found = new HashMap<>(2);
        IndicatorValue v = values.get(group + SEP + period + SEP + group);
        if (v != null) {
            found.put(v.topicKey(), v);
        }
        return found;
    }

    /** The entry id at the start of a store key (entry ids hold neither {@code |} nor {@code #}). */
    private static String entryOf(String storeKey) {
        int end = 0;
        while (end < storeKey.length() && storeKey.charAt(end) != '|' && storeKey.charAt(end) != SEP) {
            end++;
        }
        return storeKey.substring(0, end);
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
