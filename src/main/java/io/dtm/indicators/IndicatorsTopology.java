package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.IndicatorValueSerde;
import io.dtm.streams.ObservationSerde;
import io.dtm.streams.Role;
import io.dtm.streams.SeriesPartitioner;
import io.dtm.streams.SharedStreams;
import io.dtm.streams.SubTopology;
import io.dtm.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The {@code indicators} sub-topology, in two steps whose shape does not depend on the catalogue:
 * <ul>
 * <li>entries over one series in time (growth, CAGR, consistency gap) are computed where the observations are
 * partitioned by series, reading the series' periods from the store that holds them: when the ingest role runs in
 * the same application, straight behind its vintage step, from its vintage store (no hop, no store of inputs);
 * otherwise {@code dtm.observations.v1} goes through a repartition by series ({@code indicators-by-series}) to a
 * store of this step;</li>
 * <li>every other entry: each observation is placed in the groups of the entries that read it → repartition by
 * group ({@code indicators-by-group}) → compute.</li>
 * </ul>
 * Both write {@code dtm.indicators.v1} and the {@code dtm_indicator_*} gauges. When the ingest role runs here too,
 * the observations come from its vintage step (the records it writes to the topic, in the same transaction) instead
 * of being read back from the topic.
 */
@ApplicationScoped
public class IndicatorsTopology implements SubTopology {

    /** Indicator inputs by group and slot. */
    public static final String INPUT_STORE = "indicator-input-store";
    /** Indicator values by group, period and output series. */
    public static final String VALUE_STORE = "indicator-value-store";
    /** The fingerprint of each catalogue entry the task has computed. */
    public static final String CATALOGUE_STORE = "indicator-catalogue-store";
    /**
     * Indicator values over one series, by series, period and output series: derived as a task starts, without a
     * changelog.
     */
    public static final String SERIES_VALUE_STORE = "indicator-series-value-store";
    /** The fingerprint of each catalogue entry over one series the task has computed. */
    public static final String SERIES_CATALOGUE_STORE = "indicator-series-catalogue-store";
    /** Observations by series and period, when the ingest role runs elsewhere. */
    public static final String SERIES_STORE = "indicator-series-store";
    /** The name of the repartition by group. */
    static final String GROUP_TOPIC = "indicators-by-group";
    /** The name of the repartition by series, when the ingest role runs elsewhere. */
    static final String SERIES_TOPIC = "indicators-by-series";

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
        build(builder, shared.winners(), catalogue, kafka, metrics, gauges, Stores::persistentKeyValueStore);
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
        build(builder, Optional.empty(), catalogue, kafka, metrics, gauges, stores);
    }

    /**
     * Adds the sub-topology to {@code builder}, fed by the ingest part's {@code winners} when it runs in the same
     * topology, by {@code dtm.observations.v1} otherwise.
     *
     * @param kafka where new catalogue entries read their history; {@code null} to skip that
     * @param stores the store supplier by store name (persistent in the service; tests may keep them in memory)
     */
    public static void build(StreamsBuilder builder, Optional<SharedStreams.Winners> winners, Catalogue catalogue,
            KafkaConnection kafka, DtmMetrics metrics, IndicatorGauges gauges,
            Function<String, KeyValueBytesStoreSupplier> stores) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.apply(INPUT_STORE), Serdes.String(), new ObservationSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.apply(VALUE_STORE), Serdes.String(), new IndicatorValueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.apply(CATALOGUE_STORE), Serdes.String(), Serdes.String()));
        // Derived from the observations as a task starts (SeriesIndicatorProcessor): no changelog. On disk with the
        // other stores, so that the heap does not grow with the history. No record cache: the task writes it in
        // init, where a cache has no record context; the periods read and written last are in RocksDB's memtable
        // and block cache (off the heap, bounded).
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.apply(SERIES_VALUE_STORE), Serdes.String(), new IndicatorValueSerde())
                .withLoggingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.apply(SERIES_CATALOGUE_STORE), Serdes.String(), Serdes.String()));

        KStream<String, SharedStreams.Winner> bySeries;
        KStream<String, Observation> observations;
        String seriesStore;
        Function<Object, Observation> winnerOf;
        if (winners.isPresent()) {
            bySeries = winners.get().stream();
            observations = bySeries.mapValues(SharedStreams.Winner::observation,
                    Named.as("indicators-observation-of-winner"));
            seriesStore = winners.get().store();
            winnerOf = winners.get().winnerOf();
        } else {
            observations = builder.stream(Topics.OBSERVATIONS.name(),
                    Topics.OBSERVATIONS.consumed("indicators-read-observations"));
            bySeries = observations.repartition(Repartitioned.with(Serdes.String(), new ObservationSerde())
                            .withName(SERIES_TOPIC).withStreamPartitioner(new SeriesPartitioner<>()))
                    .mapValues(SharedStreams.Winner::of, Named.as("indicators-winner-of-observation"));
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    stores.apply(SERIES_STORE), Serdes.String(), new ObservationSerde()));
            seriesStore = SERIES_STORE;
            winnerOf = Observation.class::cast;
        }
        boolean own = winners.isEmpty();
        bySeries.process(() -> new SeriesIndicatorProcessor(catalogue, metrics, gauges, seriesStore, winnerOf, own),
                        Named.as("indicators-compute-series"), seriesStore, SERIES_VALUE_STORE, SERIES_CATALOGUE_STORE)
                .to(Topics.INDICATORS.name(), Topics.INDICATORS.produced("indicators-write-series"));

        observations
                .flatMap((key, obs) -> place(catalogue, key, obs), Named.as("indicators-place"))
                .repartition(Repartitioned.with(Serdes.String(), new GroupInputSerde())
                        .withName(GROUP_TOPIC))
                .process(() -> new IndicatorProcessor(catalogue, kafka, metrics, gauges),
                        Named.as("indicators-compute"), INPUT_STORE, VALUE_STORE, CATALOGUE_STORE)
                .to(Topics.INDICATORS.name(), Topics.INDICATORS.produced("indicators-write"));
    }

    /**
     * The group inputs of an observation, or of a withdrawal (a tombstone: {@code obs} is {@code null}) of the
     * observation keyed {@code key}, which empties the slots it may have filled.
     */
    static List<KeyValue<String, GroupInput>> place(Catalogue catalogue, String key, Observation obs) {
        Observation withdrawn = obs == null ? withdrawn(key) : null;
        if (obs == null && withdrawn == null) {
            return List.of();
        }
        List<KeyValue<String, GroupInput>> out = new ArrayList<>();
        for (Map.Entry<String, IndicatorKind> entry : catalogue.kinds().entrySet()) {
            if (entry.getValue().bySeries()) {
                continue; // computed by series
            }
            IndicatorKind kind = entry.getValue();
            for (IndicatorKind.Placement p : obs == null ? kind.placeWithdrawn(withdrawn) : kind.place(obs)) {
                out.add(KeyValue.pair(p.group(), GroupInput.of(entry.getKey(), p, obs)));
            }
        }
        return out;
    }

    /**
     * What a tombstone keyed {@code series|period} withdraws, for {@link IndicatorKind#placeWithdrawn}: the series
     * and the period, with a placeholder value (0) so that the entries reading the series place it; {@code null}
     * when the key is not of that form.
     */
    static Observation withdrawn(String key) {
        return Observation.ofKey(key, 0.0).orElse(null);
    }
}
