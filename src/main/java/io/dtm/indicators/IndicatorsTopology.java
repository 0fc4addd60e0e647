package io.dtm.indicators;

import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.IndicatorValueSerde;
import io.dtm.streams.ObservationSerde;
import io.dtm.streams.Role;
import io.dtm.streams.SharedStreams;
import io.dtm.streams.SubTopology;
import io.dtm.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
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
 * The {@code indicators} sub-topology: {@code dtm.observations.v1} → each observation placed in the groups of
 * the catalogue entries that read it → repartition by group → compute → {@code dtm.indicators.v1} and the
 * {@code dtm_indicator_*} gauges. Its shape does not depend on the catalogue. When the ingest role runs in the same
 * application, the observations come straight from its vintage step (the records it writes to the topic, in the
 * same transaction) instead of being read back from the topic.
 */
@ApplicationScoped
public class IndicatorsTopology implements SubTopology {

    /** Indicator inputs by group and slot. */
    public static final String INPUT_STORE = "indicator-input-store";
    /** Indicator values by group, period and output series. */
    public static final String VALUE_STORE = "indicator-value-store";
    /** The fingerprint of each catalogue entry the task has computed. */
    public static final String CATALOGUE_STORE = "indicator-catalogue-store";
    /** The name of the repartition by group. */
    static final String GROUP_TOPIC = "indicators-by-group";

    private final DtmMetrics metrics;
    private final IndicatorGauges gauges;
    private final Catalogue catalogue;
    private final KafkaConnection kafka;

    IndicatorsTopology(DtmMetrics metrics, MeterRegistry registry, IndicatorsConfig config,
            KafkaConnection kafka) {
        this.metrics = metrics;
        this.kafka = kafka;
        this.gauges = new IndicatorGauges(registry, config.historyPeriods(), config.maxSeries());
        this.catalogue = Catalogue.load(config.catalogue());
        Catalogue.KINDS.forEach(metrics::registerIndicatorKind);
    }

    @Override
    public Role role() {
        return Role.INDICATORS;
    }

    @Override
    public void addTo(StreamsBuilder builder) {
        addTo(builder, new SharedStreams());
    }

    /** Adds the sub-topology, fed by the ingest part's winning observations when it runs here too. */
    @Override
    public void addTo(StreamsBuilder builder, SharedStreams shared) {
        build(builder, shared.observations().orElseGet(() -> readObservations(builder)), catalogue,
                kafka, metrics, gauges, Stores::persistentKeyValueStore);
    }

    /** The catalogue this instance computes. */
    public Catalogue catalogue() {
        return catalogue;
    }

    /**
     * Adds the sub-topology to {@code builder}, reading {@code dtm.observations.v1}.
     *
     * @param kafka where new catalogue entries read their history; {@code null} to skip that
     * @param stores the store supplier by store name (persistent in the service; tests may keep them in memory)
     */
    public static void build(StreamsBuilder builder, Catalogue catalogue, KafkaConnection kafka,
            DtmMetrics metrics, IndicatorGauges gauges, Function<String, KeyValueBytesStoreSupplier> stores) {
        build(builder, readObservations(builder), catalogue, kafka, metrics, gauges, stores);
    }

    /**
     * Adds the sub-topology to {@code builder}, fed by {@code observations} (keyed and valued as on
     * {@code dtm.observations.v1}).
     *
     * @param kafka where new catalogue entries read their history; {@code null} to skip that
     * @param stores the store supplier by store name (persistent in the service; tests may keep them in memory)
     */
    public static void build(StreamsBuilder builder, KStream<String, Observation> observations, Catalogue catalogue,
            KafkaConnection kafka, DtmMetrics metrics, IndicatorGauges gauges,
            Function<String, KeyValueBytesStoreSupplier> stores) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.apply(INPUT_STORE), Serdes.String(), new ObservationSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.apply(VALUE_STORE), Serdes.String(), new IndicatorValueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.apply(CATALOGUE_STORE), Serdes.String(), Serdes.String()));

        observations
                .flatMap((key, obs) -> place(catalogue, obs), Named.as("indicators-place"))
                .repartition(Repartitioned.with(Serdes.String(), new GroupInputSerde())
                        .withName(GROUP_TOPIC))
                .process(() -> new IndicatorProcessor(catalogue, kafka, metrics, gauges),
                        Named.as("indicators-compute"), INPUT_STORE, VALUE_STORE, CATALOGUE_STORE)
                .to(Topics.INDICATORS.name(), Topics.INDICATORS.produced("indicators-write"));
    }

    private static KStream<String, Observation> readObservations(StreamsBuilder builder) {
        return builder.stream(Topics.OBSERVATIONS.name(), Topics.OBSERVATIONS.consumed("indicators-read-observations"));
    }

    private static List<KeyValue<String, GroupInput>> place(Catalogue catalogue, Observation obs) {
        if (obs == null) {
            return List.of();
        }
        List<KeyValue<String, GroupInput>> out = new ArrayList<>();
        for (Map.Entry<String, IndicatorKind> entry : catalogue.kinds().entrySet()) {
            for (IndicatorKind.Placement p : entry.getValue().place(obs)) {
                out.add(KeyValue.pair(p.group(), new GroupInput(entry.getKey(), p.slot(),
                        p.periods() == null ? null : List.copyOf(p.periods()), obs)));
            }
        }
        return out;
    }
}
