package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code indicators-compute}: the entries whose inputs span several series (shares, differentials, RCA, market
 * shares, balances, hub shares, openness), behind the repartition by group. Stores each input in its group and
 * recomputes the group (see {@link IndicatorEngine}); a new or changed entry reads its history from
 * {@code dtm.observations.v1}.
 */
final class IndicatorProcessor extends IndicatorEngine<GroupInput> {

    private final KafkaConnection kafka;
    private KeyValueStore<String, Observation> inputs;

    /** @param kafka where to read the history of new entries; {@code null} to skip it (tests) */
    IndicatorProcessor(Catalogue catalogue, KafkaConnection kafka, DtmMetrics metrics, IndicatorGauges gauges) {
        super(catalogue, metrics, gauges, IndicatorsTopology.VALUE_STORE, IndicatorsTopology.CATALOGUE_STORE);
        this.kafka = kafka;
    }

    @Override
    boolean handles(IndicatorKind kind) {
        return !kind.bySeries();
    }

    @Override
    void initInputs(ProcessorContext<String, IndicatorValue> context) {
        this.inputs = context.getStateStore(IndicatorsTopology.INPUT_STORE);
    }

    @Override
    int backfill(Map<String, IndicatorKind> entries, BiConsumer<String, GroupInput> apply) {
        if (kafka == null) {
            return 0;
        }
        String groupTopic = context.applicationId() + "-" + IndicatorsTopology.GROUP_TOPIC + "-repartition";
        return CatalogueBackfill.replay(kafka, groupTopic, context.taskId().partition(), entries, apply);
    }

    @Override
    boolean derivesValues() {
        return false;
    }

    @Override
    void purgeInputs(Set<String> stale) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Observation> all = inputs.all()) {
            all.forEachRemaining(kv -> {
                if (stale.contains(entryOf(kv.key))) {
                    keys.add(kv.key);
                }
            });
        }
        keys.forEach(inputs::delete);
    }

    @Override
    public void process(Record<String, GroupInput> record) {
        apply(record.key(), record.value(), record);
        metrics.eventToIndicator(Duration.ofMillis(context.currentSystemTimeMs() - record.timestamp()));
    }

    @Override
    IndicatorKind.Inputs store(String group, GroupInput in) {
        if (in.observation() == null) {
            inputs.delete(group + SEP + in.slot());
        } else {
            inputs.put(group + SEP + in.slot(), in.observation());
        }
        return new StoreInputs(group);
    }

    /** The entry id at the start of a store key (entry ids hold neither {@code |} nor {@code #}). */
    private static String entryOf(String storeKey) {
        int end = 0;
        while (end < storeKey.length() && storeKey.charAt(end) != '|' && storeKey.charAt(end) != SEP) {
            end++;
        }
        return storeKey.substring(0, end);
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
