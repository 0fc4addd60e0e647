package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.SharedStreams.Winner;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code indicators-compute-series}: the entries over one series in time ({@code yoy_growth_pct},
 * {@code cagr_pct}, {@code growth_consistency_gap_pp}), where the observations are partitioned by series. A task
 * then holds every period of its series in a store keyed {@code series|period} — the ingest part's vintage store
 * when both run in one application, a store of this step otherwise — so that these entries need no repartition and
 * no store of inputs of their own: a group reads its periods from that store. A new or changed entry computes its
 * history from the same store.
 */
final class SeriesIndicatorProcessor extends IndicatorEngine<Winner> {

    private final String observationStore;
    private final Function<Object, Observation> winnerOf;
    private final boolean keepsObservations;
    private KeyValueStore<String, Object> observations;
    /**
     * Observations read for the record in hand (its entries read the same periods), by store key; {@code null}: none
     * stands. Cleared for each record: a cache kept across records was measured to cost more in garbage collection
     * (its entries outlive the young generation) than the store reads it saves.
     */
    private final Map<String, Observation> read = new HashMap<>();
    /** {@code series|} of the record in hand. */
    private String seriesPrefix;

    /**
     * @param observationStore  the store of observations by {@code series|period}
     * @param winnerOf          the observation of a value of that store
     * @param keepsObservations whether this step writes the store (it is its own) or only reads it
     */
    SeriesIndicatorProcessor(Catalogue catalogue, DtmMetrics metrics, IndicatorGauges gauges,
            String observationStore, Function<Object, Observation> winnerOf, boolean keepsObservations) {
        super(catalogue, metrics, gauges, IndicatorsTopology.SERIES_VALUE_STORE,
                IndicatorsTopology.SERIES_CATALOGUE_STORE);
        this.observationStore = observationStore;
        this.winnerOf = winnerOf;
        this.keepsObservations = keepsObservations;
    }

    @Override
    boolean handles(IndicatorKind kind) {
        return kind.bySeries();
    }

    @Override
    void initInputs(ProcessorContext<String, IndicatorValue> context) {
        this.observations = context.getStateStore(observationStore);
    }

    @Override
    public void process(Record<String, Winner> record) {
        Observation obs = record.value() == null ? null : record.value().observation();
        if (obs == null && record.key() == null) {
            return;
        }
        // a tombstone withdraws the observation of its key (series|period): its slots are emptied
        String key = obs == null ? record.key() : obs.series().withPeriod(obs.period());
        Observation placed = obs == null ? IndicatorsTopology.withdrawn(key) : obs;
        if (placed == null) {
            return;
        }
        // whether no observation stood for the key before: then nothing computed from it is stored yet
        boolean first = obs != null && record.value().first();
        if (keepsObservations) {
            if (obs == null) {
                observations.delete(key);
            } else {
                first = read(key) == null;
                observations.put(key, obs);
            }
        }
        hold(key, obs);
        long now = context.currentSystemTimeMs();
        for (Map.Entry<String, IndicatorKind> entry : catalogue.kinds().entrySet()) {
            if (!entry.getValue().bySeries()) {
                continue;
            }
            IndicatorKind kind = entry.getValue();
            for (IndicatorKind.Placement p : obs == null ? kind.placeWithdrawn(placed) : kind.place(obs)) {
                apply(p.group(), GroupInput.of(entry.getKey(), p, obs), record, first);
                metrics.eventToIndicator(Duration.ofMillis(now - record.timestamp()));
            }
        }
    }

    @Override
    int backfill(Map<String, IndicatorKind> entries, BiConsumer<String, GroupInput> apply) {
        int applied = 0;
        try (KeyValueIterator<String, Object> all = observations.all()) {
            while (all.hasNext()) {
                KeyValue<String, Object> kv = all.next();
                Observation obs = winnerOf.apply(kv.value);
                if (obs == null) {
                    continue;
                }
                hold(kv.key, obs);
                for (Map.Entry<String, IndicatorKind> entry : entries.entrySet()) {
                    for (IndicatorKind.Placement p : entry.getValue().place(obs)) {
                        apply.accept(p.group(), GroupInput.of(entry.getKey(), p, obs));
                        applied++;
                    }
                }
            }
        }
        return applied;
    }

    /** The values follow from the store of observations, which the task restores before it starts. */
    @Override
    boolean derivesValues() {
        return true;
    }

    @Override
    void purgeInputs(Set<String> stale) {
        // the observations belong to the series, not to an entry
    }

    /** Makes {@code obs}, stored under {@code key} ({@code series|period}), the record in hand. */
    private void hold(String key, Observation obs) {
        seriesPrefix = key.substring(0, key.lastIndexOf('|') + 1);
        read.clear();
        read.put(key, obs); // no need to read it back
    }

    /** The observation stored under {@code key}, from {@link #read} or the store. */
    private Observation read(String key) {
        if (read.containsKey(key)) {
            return read.get(key);
        }
        Object stored = observations.get(key);
        Observation found = stored == null ? null : winnerOf.apply(stored);
        read.put(key, found);
        return found;
    }

    /** The periods of the series in hand, read from the store of observations. */
    @Override
    IndicatorKind.Inputs store(String group, GroupInput in) {
        String prefix = seriesPrefix;
        return new IndicatorKind.Inputs() {
            @Override
            public Observation get(String period) {
                return read(prefix + period);
            }

            @Override
            public List<Observation> scan(String prefix) {
                throw new UnsupportedOperationException("an indicator over one series reads its periods by key");
            }
        };
    }
}
