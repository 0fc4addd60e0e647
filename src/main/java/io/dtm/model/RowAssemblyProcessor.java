package io.dtm.model;

import io.dtm.events.ModelSnapshot;
import io.dtm.events.Observation;
import io.dtm.events.Period;
import io.dtm.events.RowDelta;
import io.dtm.events.RowDelta.PanelRow;
import io.dtm.metrics.DtmMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code model-assemble-rows} (keyed by model and entity): keeps each entity's inputs, rebuilds the rows an input
 * affects (its year; the next year for a lagged input; every year for as-of policy inputs) and emits a
 * "remove old row / add new row" delta for each row that changed, naming the triggering event. A withdrawn
 * observation (a retraction) leaves the entity's inputs, and its rows are rebuilt without it; the delta then names
 * no event (no source, id or vintage: the tombstone carries none).
 */
final class RowAssemblyProcessor implements Processor<String, ModelInput, String, RowDelta> {

    private final Map<String, ModelSpec> specs;
    private final DtmMetrics metrics;
    private ProcessorContext<String, RowDelta> context;
    private KeyValueStore<String, Observation> inputs;
    private KeyValueStore<String, PanelRow> rows;

    RowAssemblyProcessor(Map<String, ModelSpec> specs, DtmMetrics metrics) {
        this.specs = specs;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, RowDelta> context) {
        this.context = context;
        this.inputs = context.getStateStore(ModelTopology.INPUT_STORE);
        this.rows = context.getStateStore(ModelTopology.ROW_STORE);
    }

    @Override
    public void process(Record<String, ModelInput> record) {
        ModelInput in = record.value();
        ModelSpec spec = specs.get(in.model());
        if (spec == null) {
            return;
        }
        Observation obs = in.observation();
        String entity = obs.reporter();
        String prefix = in.model() + "|" + entity + "|";
        if (in.withdrawn()) {
            inputs.delete(prefix + in.index() + "|" + obs.period());
        } else {
            inputs.put(prefix + in.index() + "|" + obs.period(), obs);
        }
        ModelSpec.Input input = spec.inputs().get(in.index());
        TreeSet<Integer> years = new TreeSet<>();
        if (input.asOf()) {
            all(prefix, 0).forEach(y -> years.add(Period.year(y.period())));
        } else {
            years.add(Period.year(obs.period()) + input.lagYears());
        }
        String series = obs.series().toString();
        RowBuilder.Inputs view = new RowBuilder.Inputs() {
            @Override
            public Observation get(int index, String period) {
                return inputs.get(prefix + index + "|" + period);
            }

            @Override
            public List<Observation> all(int index) {
                return RowAssemblyProcessor.this.all(prefix, index);
            }
        };
        for (int year : years) {
            String key = prefix + year;
            PanelRow before = rows.get(key);
            RowBuilder.Outcome outcome = RowBuilder.row(spec, year, view);
            PanelRow after = outcome.row().orElse(null);
            if (after == null && "non-positive".equals(outcome.skipped())) {
                metrics.modelRowSkipped(spec.name(), "non-positive");
            }
            if (Objects.equals(before, after)) {
                continue;
            }
            if (after == null) {
                rows.delete(key);
            } else {
                rows.put(key, after);
            }
            ModelSnapshot.Trigger t = new ModelSnapshot.Trigger(obs.source(), obs.id(), obs.vintage(), entity, year,
                    series);
            context.forward(record.withKey(spec.name()).withValue(new RowDelta(spec.name(), entity, year, before,
                    after, t)).withHeaders(new RecordHeaders()));
        }
    }

    /** The observations of one input of one entity, in period order. */
    private List<Observation> all(String prefix, int index) {
        List<Observation> found = new ArrayList<>();
        try (KeyValueIterator<String, Observation> it = inputs.prefixScan(prefix + index + "|",
                Serdes.String().serializer())) {
            it.forEachRemaining(kv -> found.add(kv.value));
        }
        return found;
    }
}
