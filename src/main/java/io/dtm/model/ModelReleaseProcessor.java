package io.dtm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtm.events.ModelSnapshot;
import io.dtm.events.RowDelta;
import io.dtm.streams.JsonSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code model-estimate-releases} (keyed by model, beside {@code model-estimate} on the same row deltas): the
 * model's estimates as of each release ({@link ReleaseEstimates}), on {@code dtm.model-releases.v1} keyed
 * {@code model|vintage}, a tombstone when a release no longer stands (its rows were all revised at later ones).
 *
 * <p>What this processor emits is a function of the panel alone, so the model alerts that read it depend on the data
 * and not on its timing. When it is computed is not: after the panel has been quiet for the model's debounce (or
 * at the latest ten debounces after the first change), from the rows in {@code model-panel-store}, so that a panel
 * being loaded is not estimated hundreds of times over. A release is sent again only when its snapshot changed
 * (its computation time aside); after a restart every release is sent again once, which changes no alert.
 */
final class ModelReleaseProcessor implements Processor<String, RowDelta, String, ModelSnapshot> {

    private static final Duration TICK = Duration.ofMillis(250);
    /** The longest wait, in debounces, between a change and the releases that reflect it. */
    private static final int MAX_WAIT = 10;

    private final Map<String, ModelSpec> specs;
    /** Per model with changes not yet estimated: the times of its first and latest change. */
    private final Map<String, long[]> dirty = new HashMap<>();
    private final Set<String> resend = new HashSet<>();
    private ProcessorContext<String, ModelSnapshot> context;
    private KeyValueStore<String, RowDelta.PanelRow> panel;
    private KeyValueStore<String, ModelSnapshot> releases;

    ModelReleaseProcessor(Map<String, ModelSpec> specs) {
        this.specs = specs;
    }

    @Override
    public void init(ProcessorContext<String, ModelSnapshot> context) {
        this.context = context;
        this.panel = context.getStateStore(ModelTopology.PANEL_STORE);
        this.releases = context.getStateStore(ModelTopology.RELEASE_STORE);
        for (String model : specs.keySet()) {
            if (!rows(model).isEmpty() || !stored(model).isEmpty()) {
                dirty.put(model, new long[] {0, 0});
                resend.add(model);
            }
        }
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, RowDelta> record) {
        String model = record.value().model();
        if (!specs.containsKey(model)) {
            return;
        }
        long now = context.currentSystemTimeMs();
        dirty.merge(model, new long[] {now, now}, (was, change) -> new long[] {was[0], now});
    }

    private void tick(long now) {
        List<String> due = new ArrayList<>();
        dirty.forEach((model, times) -> {
            long debounce = specs.get(model).debounce();
            if (now - times[1] >= debounce || now - times[0] >= MAX_WAIT * debounce) {
                due.add(model);
            }
        });
        for (String model : due) {
            dirty.remove(model);
            publish(model, now);
        }
    }

    /** Estimates the model as of each release and forwards what changed. */
    private void publish(String model, long now) {
        ModelSpec spec = specs.get(model);
        Map<String, ModelSnapshot> current = new LinkedHashMap<>();
        for (ModelSnapshot s : ReleaseEstimates.of(spec, rows(model), spec.historySize(), now)) {
            current.put(s.trigger().vintage(), s);
        }
        Map<String, ModelSnapshot> before = stored(model);
        boolean all = resend.remove(model);
        current.forEach((vintage, snapshot) -> {
            if (all || !sameRelease(before.get(vintage), snapshot)) {
                releases.put(key(model, vintage), snapshot);
                context.forward(new Record<>(key(model, vintage), snapshot, now));
            }
        });
        before.keySet().stream().filter(v -> !current.containsKey(v)).forEach(vintage -> {
            releases.delete(key(model, vintage));
            context.forward(new Record<String, ModelSnapshot>(key(model, vintage), null, now));
        });
    }

    /** Whether two snapshots of a release are the same but for when they were computed. */
    static boolean sameRelease(ModelSnapshot a, ModelSnapshot b) {
        if (a == null || b == null) {
            return a == b;
        }
        JsonNode x = JsonSerde.MAPPER.valueToTree(a);
        JsonNode y = JsonSerde.MAPPER.valueToTree(b);
        ((ObjectNode) x).remove("computedAt");
        ((ObjectNode) y).remove("computedAt");
        return x.equals(y);
    }

    /** The key of a model's release on {@code dtm.model-releases.v1} and in its store. */
    static String key(String model, String vintage) {
        return model + "|" + vintage;
    }

    private List<ReleaseEstimates.Released> rows(String model) {
        List<ReleaseEstimates.Released> rows = new ArrayList<>();
        try (KeyValueIterator<String, RowDelta.PanelRow> it = panel.prefixScan(model + "|",
                Serdes.String().serializer())) {
            while (it.hasNext()) {
                KeyValue<String, RowDelta.PanelRow> kv = it.next();
                String[] parts = kv.key.split("\\|");
                RowDelta.PanelRow r = kv.value;
                rows.add(new ReleaseEstimates.Released(ModelState.row(parts[1], Integer.parseInt(parts[2]), r),
                        r.vintage(), r.source(), r.id()));
            }
        }
        return rows;
    }

    private Map<String, ModelSnapshot> stored(String model) {
        Map<String, ModelSnapshot> stored = new LinkedHashMap<>();
        try (KeyValueIterator<String, ModelSnapshot> it = releases.prefixScan(model + "|",
                Serdes.String().serializer())) {
            it.forEachRemaining(kv -> stored.put(kv.key.substring(model.length() + 1), kv.value));
        }
        return stored;
    }
}
