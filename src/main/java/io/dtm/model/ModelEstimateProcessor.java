package io.dtm.model;

import io.dtm.events.ModelSnapshot;
import io.dtm.events.ModelWindow;
import io.dtm.events.RowDelta;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.ModelGauges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code model-estimate} (keyed by model): applies each row delta to the model's panels, re-estimates both
 * estimates and emits a snapshot naming the triggering event and the change of each coefficient; the stability
 * tests run after a debounce on a wall-clock punctuation, which forwards the latest snapshot again with them. Panel rows are stored per (model, entity, year) and the
 * last snapshots per (model, sequence). The rolling estimate of each window end year is stored per (model, end year)
 * and exported when a row of its window changed, and written again from the panel rows at start.
 */
final class ModelEstimateProcessor implements Processor<String, RowDelta, String, ModelSnapshot> {

    private static final Duration TICK = Duration.ofMillis(250);

    private final Map<String, ModelSpec> specs;
    private final ModelGauges gauges;
    private final DtmMetrics metrics;
    private final int maxWindows;
    private final Map<String, ModelState> states = new HashMap<>();
    private final Map<String, Long> dirtySince = new HashMap<>();
    private ProcessorContext<String, ModelSnapshot> context;
    private KeyValueStore<String, RowDelta.PanelRow> panel;
    private KeyValueStore<String, ModelSnapshot> snapshots;
    private KeyValueStore<String, ModelWindow> windows;

    ModelEstimateProcessor(Map<String, ModelSpec> specs, ModelGauges gauges, DtmMetrics metrics, int maxWindows) {
        this.specs = specs;
        this.gauges = gauges;
        this.metrics = metrics;
        this.maxWindows = maxWindows;
    }

    @Override
    public void init(ProcessorContext<String, ModelSnapshot> context) {
        this.context = context;
        this.panel = context.getStateStore(ModelTopology.PANEL_STORE);
        this.snapshots = context.getStateStore(ModelTopology.SNAPSHOT_STORE);
        this.windows = context.getStateStore(ModelTopology.WINDOW_STORE);
        for (ModelSpec spec : specs.values()) {
            ModelSnapshot last = latest(spec.name());
            ModelState state = new ModelState(spec, last, maxWindows);
            forgetWindows(spec.name());
            boolean any = false;
            try (KeyValueIterator<String, RowDelta.PanelRow> it = panel.prefixScan(spec.name() + "|",
                    Serdes.String().serializer())) {
                while (it.hasNext()) {
                    KeyValue<String, RowDelta.PanelRow> kv = it.next();
                    String[] parts = kv.key.split("\\|");
                    state.load(ModelState.row(parts[1], Integer.parseInt(parts[2]), kv.value));
                    any = true;
                }
            }
            if (any) {
                state.rebuildRolling();
                state.windowChanges();
                state.windows().forEach(w -> window(spec.name(), w));
                states.put(spec.name(), state);
                if (last != null) {
                    export(last);
                }
                dirtySince.put(spec.name(), 0L);
            }
        }
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::stabilityTick);
    }

    @Override
    public void process(Record<String, RowDelta> record) {
        RowDelta delta = record.value();
        ModelSpec spec = specs.get(delta.model());
        if (spec == null) {
            return;
        }
        ModelState state = states.computeIfAbsent(spec.name(), n -> new ModelState(spec, latest(n), maxWindows));
        String key = delta.model() + "|" + delta.entity() + "|" + delta.year();
        if (delta.after() == null) {
            panel.delete(key);
        } else {
            panel.put(key, delta.after());
        }
        if (!state.apply(delta)) {
            metrics.modelRowMismatched(spec.name());
        }
        ModelSnapshot snapshot = state.snapshot(delta.trigger(), context.currentSystemTimeMs());
        store(snapshot, spec.historySize());
        export(snapshot);
        ModelState.WindowChanges changes = state.windowChanges();
        changes.changed().forEach(w -> window(spec.name(), w));
        for (int end : changes.removed()) {
            windows.delete(windowKey(spec.name(), end));
            gauges.windows().remove(spec.name(), end);
        }
        dirtySince.putIfAbsent(spec.name(), context.currentSystemTimeMs());
        context.forward(record.withKey(spec.name()).withValue(snapshot).withHeaders(new RecordHeaders()));
    }

    /** Runs the stability tests of models whose panel changed at least a debounce ago. */
    private void stabilityTick(long now) {
        Set<String> due = new HashSet<>();
        dirtySince.forEach((model, since) -> {
            if (now - since >= specs.get(model).debounce()) {
                due.add(model);
            }
        });
        for (String model : due) {
            dirtySince.remove(model);
            ModelSnapshot.Stability stability = states.get(model).stability();
            gauges.stability(model, stability.ratio());
            exportShift(model, stability.shift());
            ModelSnapshot last = latest(model);
            if (last != null) {
                ModelSnapshot updated = new ModelSnapshot(last.model(), last.seq(), last.computedAt(),
                        last.trigger(), last.estimates(), stability);
                snapshots.put(snapshotKey(model, last.seq()), updated);
                context.forward(new Record<>(model, updated, now));
            }
        }
    }

    private void export(ModelSnapshot snapshot) {
        for (ModelSnapshot.Estimate e : snapshot.estimates()) {
            gauges.estimate(snapshot.model(), e);
        }
        if (snapshot.stability() != null) {
            gauges.stability(snapshot.model(), snapshot.stability().ratio());
            exportShift(snapshot.model(), snapshot.stability().shift());
        }
    }

    /** The driver-shift p-values computed (bootstrap), by term and {@code joint}; none when the test did not run. */
    private void exportShift(String model, ModelSnapshot.Shift shift) {
        Map<String, Double> p = new HashMap<>();
        if (shift != null) {
            shift.terms().forEach(t -> p.put(t.term(), t.bootstrapP()));
            if (shift.joint() != null) {
                p.put("joint", shift.joint().bootstrapP());
            }
        }
        gauges.shift(model, p);
    }

    private void store(ModelSnapshot snapshot, int keep) {
        snapshots.put(snapshotKey(snapshot.model(), snapshot.seq()), snapshot);
        if (snapshot.seq() > keep) {
            snapshots.delete(snapshotKey(snapshot.model(), snapshot.seq() - keep));
        }
    }

    /** The latest snapshot of a model held by this task, or {@code null}. */
    private ModelSnapshot latest(String model) {
        ModelSnapshot last = null;
        try (KeyValueIterator<String, ModelSnapshot> it = snapshots.prefixScan(model + "|",
                Serdes.String().serializer())) {
            while (it.hasNext()) {
                last = it.next().value;
            }
        }
        return last;
    }

    /** Deletes the stored windows of a model (at start, before they are written again from its rows). */
    private void forgetWindows(String model) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ModelWindow> it = windows.prefixScan(model + "|", Serdes.String().serializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(windows::delete);
    }

    /** Stores and exports the estimate of one window. */
    private void window(String model, ModelWindow window) {
        windows.put(windowKey(model, window.windowEnd()), window);
        gauges.windows().window(model, window);
    }

    /** The key of a window in {@link ModelTopology#WINDOW_STORE}: {@code model|end year}. */
    static String windowKey(String model, int end) {
        return model + "|" + end;
    }

    static String snapshotKey(String model, long seq) {
        return model + "|" + String.format("%019d", seq);
    }

    @Override
    public void close() {
        states.keySet().forEach(gauges::clearModel);
    }
}
