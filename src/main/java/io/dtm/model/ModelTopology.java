package io.dtm.model;

import io.dtm.events.ModelSnapshot;
import io.dtm.events.ModelWindow;
import io.dtm.events.Observation;
import io.dtm.events.Period;
import io.dtm.events.RowDelta;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.ModelGauges;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Role;
import io.dtm.streams.SubTopology;
import io.dtm.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code model} sub-topology: {@code dtm.observations.v1} → inputs of each model by (model, entity) → row
 * assembly ("remove old row / add new row" deltas) → by model → estimation → {@code dtm.model.v1} and the
 * {@code dtm_model_*} gauges. Its shape does not depend on the model specifications.
 */
@ApplicationScoped
public class ModelTopology implements SubTopology {

    /** Model inputs by (model, entity, input, period). */
    public static final String INPUT_STORE = "model-input-store";
    /** Panel rows as assembled, by (model, entity, year). */
    public static final String ROW_STORE = "model-row-store";
    /** Panel rows as estimated, by (model, entity, year). */
    public static final String PANEL_STORE = "model-panel-store";
    /** The latest snapshots, by (model, sequence). */
    public static final String SNAPSHOT_STORE = "model-snapshot-store";
    /** The estimates as of each release, by (model, vintage): what was sent to {@code dtm.model-releases.v1}. */
    public static final String RELEASE_STORE = "model-release-store";
    /**
     * The rolling estimate of each window end year, by (model, end year): in memory and not logged, since the
     * estimation builds it again from the panel rows whenever it starts.
     */
    public static final String WINDOW_STORE = "model-window-store";

    private final Map<String, ModelSpec> specs;
    private final DtmMetrics metrics;
    private final ModelGauges gauges;
    private final int maxWindows;

    ModelTopology(ModelConfig config, DtmMetrics metrics, MeterRegistry registry) {
        this.specs = byName(ModelSpec.load(config.specs()));
        if (config.maxWindows() < 1 || config.maxWindows() > 100) {
            throw new IllegalArgumentException("dtm.model.max-windows must be 1 to 100 (got " + config.maxWindows()
                    + ")");
        }
        this.maxWindows = config.maxWindows();
        this.metrics = metrics;
        this.gauges = new ModelGauges(registry);
        specs.keySet().forEach(metrics::registerModel);
    }

    @Override
    public Role role() {
        return Role.MODEL;
    }

    /** The models this instance estimates, by name. */
    public Map<String, ModelSpec> specs() {
        return specs;
    }

    @Override
    public void addTo(StreamsBuilder builder) {
        build(builder, specs, metrics, gauges, Stores::persistentKeyValueStore, maxWindows);
    }

    /** How many window end years each model keeps a rolling estimate for. */
    public int maxWindows() {
        return maxWindows;
    }

    static Map<String, ModelSpec> byName(List<ModelSpec> list) {
        Map<String, ModelSpec> map = new LinkedHashMap<>();
        list.forEach(s -> map.put(s.name(), s));
        return map;
    }

    /**
     * Adds the sub-topology to {@code builder}.
     *
     * @param stores the store supplier by store name (persistent in the service; tests may keep them in memory)
     */
    public static void build(StreamsBuilder builder, Map<String, ModelSpec> specs, DtmMetrics metrics,
            ModelGauges gauges, Function<String, KeyValueBytesStoreSupplier> stores) {
        build(builder, specs, metrics, gauges, stores, WindowEstimates.DEFAULT_MAX_WINDOWS);
    }

    /**
     * Adds the sub-topology to {@code builder}, keeping the estimates of the latest {@code maxWindows} window end
     * years of each model.
     */
    public static void build(StreamsBuilder builder, Map<String, ModelSpec> specs, DtmMetrics metrics,
            ModelGauges gauges, Function<String, KeyValueBytesStoreSupplier> stores, int maxWindows) {
        JsonSerde<RowDelta.PanelRow> rowSerde = JsonSerde.of(RowDelta.PanelRow.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(INPUT_STORE), Serdes.String(),
                JsonSerde.of(Observation.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(ROW_STORE), Serdes.String(), rowSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(PANEL_STORE), Serdes.String(), rowSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(SNAPSHOT_STORE), Serdes.String(),
                JsonSerde.of(ModelSnapshot.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(RELEASE_STORE), Serdes.String(),
                JsonSerde.of(ModelSnapshot.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WINDOW_STORE),
                Serdes.String(), JsonSerde.of(ModelWindow.class)).withLoggingDisabled());

        KStream<String, RowDelta> deltas = builder
                .stream(Topics.OBSERVATIONS.name(), Topics.OBSERVATIONS.consumed("model-read-observations"))
                .flatMap((key, obs) -> inputs(specs, key, obs), Named.as("model-select-inputs"))
                .repartition(Repartitioned.with(Serdes.String(), JsonSerde.of(ModelInput.class))
                        .withName("model-by-entity"))
                .process(() -> new RowAssemblyProcessor(specs, metrics), Named.as("model-assemble-rows"),
                        INPUT_STORE, ROW_STORE)
                .repartition(Repartitioned.with(Serdes.String(), JsonSerde.of(RowDelta.class))
                        .withName("model-by-model"));
        deltas.process(() -> new ModelEstimateProcessor(specs, gauges, metrics, maxWindows), Named.as("model-estimate"),
                PANEL_STORE, SNAPSHOT_STORE, WINDOW_STORE)
                .to(Topics.MODEL.name(), Topics.MODEL.produced("model-write"));
        deltas.process(() -> new ModelReleaseProcessor(specs), Named.as("model-estimate-releases"), PANEL_STORE,
                RELEASE_STORE)
                .to(Topics.MODEL_RELEASES.name(), Topics.MODEL_RELEASES.produced("model-write-releases"));
    }

    /**
     * The model inputs an observation is, keyed by {@code model|entity}; entities are ISO-3 economies. A tombstone
     * ({@code obs} is {@code null}) withdraws the observation of its key ({@code series|period}) from the same inputs.
     */
    private static List<KeyValue<String, ModelInput>> inputs(Map<String, ModelSpec> specs, String key,
            Observation value) {
        List<KeyValue<String, ModelInput>> out = new ArrayList<>();
        boolean withdrawn = value == null;
        Observation obs = withdrawn ? Observation.ofKey(key, null).orElse(null) : value;
        if (obs == null || obs.reporter().length() != 3 || obs.reporter().equals("WLD")) {
            return out;
        }
        boolean annual = Period.isYear(obs.period());
        for (ModelSpec spec : specs.values()) {
            if (!spec.covers(obs.reporter())) {
                continue;
            }
            List<ModelSpec.Input> inputs = spec.inputs();
            for (int i = 0; i < inputs.size(); i++) {
                ModelSpec.Input input = inputs.get(i);
                if (input.matches(obs) && (annual || input.asOf())) {
                    out.add(KeyValue.pair(spec.name() + "|" + obs.reporter(),
                            new ModelInput(spec.name(), i, obs, withdrawn)));
                }
            }
        }
        return out;
    }
}
