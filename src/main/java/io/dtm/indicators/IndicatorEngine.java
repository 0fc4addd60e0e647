package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
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
 * What both indicator steps do with an input placed in a group: recompute the group's values for the periods the
 * input affects, and forward only what changed (a value no longer computable becomes a tombstone). Exports the
 * series of the groups its task owns; a task that closes stops exporting them. When the catalogue has new or
 * changed entries of the step, the task computes their history as it starts ({@link #backfill}), and drops the
 * values of entries that left the step.
 * <p>
 * Subclasses say which entries they compute ({@link #handles}), where the inputs are kept and how a group reads
 * them.
 *
 * @param <I> the records the step receives
 */
abstract class IndicatorEngine<I> implements Processor<String, I, String, IndicatorValue> {

    static final char SEP = '#';

    private static final Logger LOG = Logger.getLogger(IndicatorEngine.class);
    private static final Duration GAUGE_INTERVAL = Duration.ofSeconds(1);

    protected final Catalogue catalogue;
    protected final DtmMetrics metrics;
    private final IndicatorGauges gauges;
    private final String valueStore;
    private final String catalogueStore;
    /** How many values a store iterator hands over before it is closed, when the keys are deleted. */
    private static final int DELETE_BATCH = 10_000;
    /**
     * The output series of this task the gauges export (at most their cap): removed from the gauges when the task
     * closes. The values themselves are read from the store; the gauges keep the last periods of each.
     */
    private final Set<String> exported = new HashSet<>();
    /**
     * Output series changed since the gauges were last published → the values that changed, by period, or
     * {@code null} values when a period was withdrawn (the series is then read again from the store). Cleared
     * every {@link #GAUGE_INTERVAL}, and not filled while the task starts.
     */
    private final Map<String, Changes> dirty = new HashMap<>();
    /** Whether the task is starting: values are then exported from the store once, at the end. */
    private boolean starting;
    protected ProcessorContext<String, IndicatorValue> context;
    private KeyValueStore<String, IndicatorValue> values;
    private KeyValueStore<String, String> entries;

    IndicatorEngine(Catalogue catalogue, DtmMetrics metrics, IndicatorGauges gauges, String valueStore,
            String catalogueStore) {
        this.catalogue = catalogue;
        this.metrics = metrics;
        this.gauges = gauges;
        this.valueStore = valueStore;
        this.catalogueStore = catalogueStore;
    }

    /** Whether this step computes the entry of this kind. */
    abstract boolean handles(IndicatorKind kind);

    /** Opens the step's input stores. */
    abstract void initInputs(ProcessorContext<String, IndicatorValue> context);

    /** Calls {@code apply(group, input)} for every input of the given entries (id → kind) this task holds; the count. */
    abstract int backfill(Map<String, IndicatorKind> entries, BiConsumer<String, GroupInput> apply);

    /**
     * Whether the step's values are derived from its inputs rather than kept: its value store is then in memory
     * without a changelog, and a starting task computes it from the inputs with the entries it computed last.
     */
    abstract boolean derivesValues();

    /** Deletes the stored inputs of the {@code stale} entries. */
    abstract void purgeInputs(Set<String> stale);

    @Override
    public void init(ProcessorContext<String, IndicatorValue> context) {
        this.context = context;
        this.values = context.getStateStore(valueStore);
        this.entries = context.getStateStore(catalogueStore);
        initInputs(context);
        starting = true;
        if (derivesValues()) {
            rebuildValues();
        }
        catchUpWithCatalogue();
        starting = false;
        exportStored();
        context.schedule(GAUGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> publishGauges());
    }

    /** Publishes the gauges of the series that changed (once a second rather than on every input). */
    private void publishGauges() {
        dirty.forEach(this::export);
        dirty.clear();
    }

    /** Exports the series of the values the store holds, each as far as the gauges keep it (one pass). */
    private void exportStored() {
        try (KeyValueIterator<String, IndicatorValue> all = values.all()) {
            while (all.hasNext()) {
                IndicatorValue v = all.next().value;
                if (gauges.offer(v.seriesKey(), v)) {
                    exported.add(v.seriesKey());
                }
            }
        }
    }

    /**
     * Deletes every value of the store, a batch of keys at a time (no iterator is open while it deletes), each
     * batch read from after the last key deleted (not over the deletions again).
     */
    private void clearValues() {
        List<String> batch = new ArrayList<>(DELETE_BATCH);
        String after = null;
        do {
            batch.clear();
            try (KeyValueIterator<String, IndicatorValue> rest = after == null ? values.all()
                    : values.range(after, null)) {
                while (rest.hasNext() && batch.size() < DELETE_BATCH) {
                    batch.add(rest.next().key);
                }
            }
            batch.forEach(values::delete);
            after = batch.isEmpty() ? null : batch.get(batch.size() - 1);
        } while (batch.size() == DELETE_BATCH);
    }

    /**
     * Computes the values of the entries the task computed last (their definitions are in the catalogue store),
     * as they stood: the catch-up that follows then sees what it would see in a kept store.
     */
    private void rebuildValues() {
        // the store has no changelog: what a persistent one kept from an earlier run need not match the inputs
        // as restored (exactly-once commits them, not it), so the task derives it again from nothing
        clearValues();
        Map<String, IndicatorKind> last = lastComputed();
        if (last.isEmpty()) {
            return;
        }
        Record<String, I> none = new Record<>("", null, 0L);
        int replayed = backfill(last, (group, input) -> apply(last, group, input, none, Mode.REBUILD));
        LOG.debugf("task %s: values of %s rebuilt from %d inputs", context.taskId(), last.keySet(), replayed);
    }

    /** The entries of this step the task computed last, from the definitions kept in the catalogue store. */
    private Map<String, IndicatorKind> lastComputed() {
        Map<String, IndicatorKind> kinds = new LinkedHashMap<>();
        List<String> definitions = new ArrayList<>();
        try (KeyValueIterator<String, String> known = entries.all()) {
            known.forEachRemaining(kv -> definitions.add(definitionOf(kv.value)));
        }
        for (String definition : definitions) {
            try {
                Catalogue.ofDefinitions(List.of(definition), "kept by task " + context.taskId()).kinds()
                        .forEach((id, kind) -> {
                            if (handles(kind)) {
                                kinds.put(id, kind);
                            }
                        });
            } catch (IllegalArgumentException e) {
                LOG.warnf("task %s: a kept catalogue entry no longer reads, its earlier values are not withdrawn: %s",
                        context.taskId(), e.getMessage());
            }
        }
        return kinds;
    }

    /** What the catalogue store keeps for an entry: its fingerprint, a line break, its definition. */
    private String kept(String id, String fingerprint) {
        return fingerprint + "\n" + catalogue.definition(id);
    }

    /** The fingerprint in a catalogue store value. */
    private static String fingerprintOf(String kept) {
        return kept.substring(0, kept.indexOf('\n'));
    }

    /** The definition in a catalogue store value. */
    private static String definitionOf(String kept) {
        return kept.substring(kept.indexOf('\n') + 1);
    }

    /** The fingerprints of the entries this step computes. */
    private Map<String, String> wanted() {
        Map<String, String> wanted = new LinkedHashMap<>();
        catalogue.fingerprints().forEach((id, print) -> {
            if (handles(catalogue.kinds().get(id))) {
                wanted.put(id, print);
            }
        });
        return wanted;
    }

    /**
     * Drops the inputs and values of entries that left the step or changed, recomputes the changed and new ones,
     * and forwards the result at the first punctuation (forwarding is not allowed in {@code init}); the
     * fingerprints and definitions are recorded only then, so that a crash in between repeats the catch-up. The
     * values of an entry that moved to the other step (its kind changed) are dropped here without tombstones: the
     * other step writes them.
     */
    private void catchUpWithCatalogue() {
        Map<String, String> wanted = wanted();
        Set<String> stale = new HashSet<>();
        try (KeyValueIterator<String, String> known = entries.all()) {
            known.forEachRemaining(kv -> {
                if (!fingerprintOf(kv.value).equals(wanted.get(kv.key))) {
                    stale.add(kv.key);
                }
            });
        }
        Set<String> fresh = new HashSet<>(wanted.keySet());
        fresh.removeIf(id -> {
            String kept = entries.get(id);
            return kept != null && wanted.get(id).equals(fingerprintOf(kept));
        });
        if (stale.isEmpty() && fresh.isEmpty()) {
            return;
        }
        Set<String> dropped = purge(stale);
        Record<String, I> none = new Record<>("", null, 0L);
        Map<String, IndicatorKind> kinds = catalogue.kinds();
        Map<String, IndicatorKind> freshKinds = new LinkedHashMap<>();
        fresh.forEach(id -> freshKinds.put(id, kinds.get(id)));
        int replayed = fresh.isEmpty() ? 0
                : backfill(freshKinds, (group, input) -> apply(kinds, group, input, none, Mode.CATCH_UP));
        if (!stale.isEmpty() || !fresh.isEmpty()) {
            LOG.infof("task %s: catalogue entries %s new or changed (%d inputs replayed), %s dropped",
                    context.taskId(), fresh, replayed, stale);
        }
        List<String> tombstones = new ArrayList<>(dropped);
        context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, new Punctuator() {
            private boolean done;

            @Override
            public void punctuate(long now) {
                if (done) {
                    return;
                }
                done = true;
                publishCatchUp(fresh, stale, wanted, tombstones, now);
            }
        });
    }

    /** Deletes the values and inputs of the stale entries; the topic keys to withdraw. */
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
                    if (!movedAway(kv.value.id())) {
                        dropped.add(kv.value.topicKey());
                    }
                }
            });
        }
        keys.forEach(values::delete);
        purgeInputs(stale);
        return dropped;
    }

    /** Whether the entry is in the catalogue but computed by the other step. */
    private boolean movedAway(String id) {
        IndicatorKind kind = catalogue.kinds().get(id);
        return kind != null && !handles(kind);
    }

    private void publishCatchUp(Set<String> fresh, Set<String> stale, Map<String, String> wanted,
            List<String> dropped, long now) {
        Set<String> alive = new HashSet<>();
        if (!fresh.isEmpty()) {
            try (KeyValueIterator<String, IndicatorValue> all = values.all()) {
                all.forEachRemaining(kv -> {
                    if (fresh.contains(kv.value.id())) {
                        alive.add(kv.value.topicKey());
                        context.forward(new Record<>(kv.value.topicKey(), kv.value, now));
                    }
                });
            }
        }
        dropped.stream().filter(key -> !alive.contains(key))
                .forEach(key -> context.forward(new Record<String, IndicatorValue>(key, null, now)));
        stale.stream().filter(id -> !wanted.containsKey(id)).forEach(entries::delete);
        wanted.forEach((id, print) -> entries.put(id, kept(id, print)));
    }

    /** Why an input is applied. */
    enum Mode {
        /** A record in hand: changes are forwarded and counted. */
        LIVE,
        /** The history of a new or changed entry: counted, forwarded at the first punctuation. */
        CATCH_UP,
        /** Values a starting task derives again ({@link #derivesValues}): neither forwarded nor counted. */
        REBUILD
    }

    /** Stores one input of the record in hand (see {@link #store}) and forwards what changes. */
    protected final void apply(String group, GroupInput in, Record<String, I> record) {
        apply(catalogue.kinds(), group, in, record, Mode.LIVE, false);
    }

    /**
     * Stores one input of the record in hand (see {@link #store}) and forwards what changes.
     *
     * @param first whether the input is new (its slot held nothing before): where every value of the periods it
     *              affects is computed from it ({@link IndicatorKind#valuesReadTheirInput}), none of them can be
     *              stored, and the store is not read for them
     */
    protected final void apply(String group, GroupInput in, Record<String, I> record, boolean first) {
        apply(catalogue.kinds(), group, in, record, Mode.LIVE, first);
    }

    /** Stores one input (see {@link #store}) and recomputes what it affects, with the entry's kind in {@code kinds}. */
    private void apply(Map<String, IndicatorKind> kinds, String group, GroupInput in, Record<String, I> record,
            Mode mode) {
        apply(kinds, group, in, record, mode, false);
    }

    private void apply(Map<String, IndicatorKind> kinds, String group, GroupInput in, Record<String, I> record,
            Mode mode, boolean first) {
        IndicatorKind kind = kinds.get(in.entry());
        if (kind == null || !handles(kind)) {
            return; // an entry no longer in the catalogue, or no longer in this step
        }
        boolean forward = mode == Mode.LIVE;
        IndicatorKind.Inputs view = store(group, in);
        Collection<String> periods = in.periods() != null ? in.periods() : kind.periods(view);
        if (in.periods() == null) {
            withdrawPeriodsOutside(group, Set.copyOf(periods), record, forward);
        }
        boolean nothingStored = first && in.observation() != null && kind.valuesReadTheirInput();
        for (String period : periods) {
            Map<String, IndicatorValue> before = nothingStored ? new HashMap<>(2)
                    : kind.groupIsItsSeries() ? stored(group, period) : existing(group + SEP + period + SEP);
            for (IndicatorValue value : kind.compute(group, period, view)) {
                IndicatorValue old = before.remove(value.topicKey());
                if (!value.sameAs(old)) {
                    IndicatorValue stamped = value.computedAt(context.currentSystemTimeMs());
                    values.put(valueKey(group, stamped), stamped);
                    changed(stamped, null);
                    if (forward) {
                        context.forward(record.withKey(stamped.topicKey()).withValue(stamped)
                                .withHeaders(new RecordHeaders()));
                    }
                    if (mode != Mode.REBUILD) {
                        metrics.indicatorUpdated(stamped.indicator());
                    }
                }
            }
            before.values().forEach(gone -> withdraw(group, gone, record, forward));
        }
    }

    /** Keeps the input where the group reads it (when the step keeps its own inputs) and returns the group's view. */
    abstract IndicatorKind.Inputs store(String group, GroupInput in);

    private void withdrawPeriodsOutside(String group, Set<String> periods, Record<String, I> record,
            boolean forward) {
        for (IndicatorValue v : existing(group + SEP).values()) {
            if (!periods.contains(v.period())) {
                withdraw(group, v, record, forward);
            }
        }
    }

    private void withdraw(String group, IndicatorValue gone, Record<String, I> record, boolean forward) {
        values.delete(valueKey(group, gone));
        changed(gone, gone.period());
        if (forward) {
            context.forward(record.withKey(gone.topicKey()).<IndicatorValue>withValue(null)
                    .withHeaders(new RecordHeaders()));
        }
    }

    /** What changed in one output series since the gauges were last published. */
    private static final class Changes {
        /** A value of the series (its labels say where the others are). */
        IndicatorValue any;
        /** Changed values by period; {@code null} once a period was withdrawn (the series is read again). */
        Map<String, IndicatorValue> values = new HashMap<>();
    }

    /** Notes a changed value ({@code withdrawn} null) or a withdrawn period for the gauges. */
    private void changed(IndicatorValue v, String withdrawn) {
        if (starting) {
            return; // the task exports what its store holds once it has started
        }
        Changes changes = dirty.computeIfAbsent(v.seriesKey(), k -> new Changes());
        changes.any = v;
        if (withdrawn != null) {
            changes.values = null;
        } else if (changes.values != null) {
            changes.values.put(v.period(), v);
        }
    }

    /** Publishes what changed in a series: its changed values, or the series read again from the store. */
    private void export(String seriesKey, Changes changes) {
        if (changes.values != null && gauges.publishChanged(seriesKey, changes.values.values())) {
            return;
        }
        if (gauges.admits(seriesKey)) {
            NavigableMap<String, IndicatorValue> history = storedSeries(changes.any);
            if (gauges.publish(seriesKey, history)) {
                exported.add(seriesKey);
            } else {
                exported.remove(seriesKey);
            }
        }
    }

    /**
     * The last periods of an output series as the store holds them (as many as the gauges export, the latest
     * among them), read from the values of its group. Empty when the entry is no longer in the catalogue.
     */
    private NavigableMap<String, IndicatorValue> storedSeries(IndicatorValue any) {
        NavigableMap<String, IndicatorValue> history = new TreeMap<>();
        IndicatorKind kind = catalogue.kinds().get(any.id());
        if (kind == null || !handles(kind)) {
            return history;
        }
        String group = kind.groupOf(any.reporter(), any.partner(), any.flow(), any.category());
        String seriesKey = any.seriesKey();
        try (KeyValueIterator<String, IndicatorValue> it = values.prefixScan(group + SEP,
                Serdes.String().serializer())) {
            while (it.hasNext()) {
                IndicatorValue v = it.next().value;
                if (v.seriesKey().equals(seriesKey)) {
                    history.put(v.period(), v);
                    if (history.size() > gauges.historyPeriods() + 1) {
                        history.pollFirstEntry(); // the store iterates periods in order
                    }
                }
            }
        }
        return history;
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
        IndicatorValue v = values.get(group + SEP + period + SEP + group);
        Map<String, IndicatorValue> found = new HashMap<>(2);
        if (v != null) {
            found.put(v.topicKey(), v);
        }
        return found;
    }

    private static String valueKey(String group, IndicatorValue v) {
        return group + SEP + v.period() + SEP + v.seriesKey();
    }

    @Override
    public void close() {
        exported.forEach(gauges::remove);
        exported.clear();
        dirty.clear();
    }
}
