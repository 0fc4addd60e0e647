package io.dtm.indicators;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Role;
import io.dtm.streams.SubTopology;
import io.dtm.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code indicators} sub-topology: {@code dtm.observations.v1} → by series → year-on-year growth of every
 * trade series → {@code dtm.indicators.v1} and the {@code dtm_indicator_value} gauges.
 */
@ApplicationScoped
public class IndicatorsTopology implements SubTopology {

    /** Observations per (series, period), the inputs of the series' indicators. */
    public static final String SERIES_STORE = "series-observation-store";
    /** Indicator values per (id, series, period). */
    public static final String INDICATOR_STORE = "indicator-value-store";

    private final DtmMetrics metrics;
    private final IndicatorGauges gauges;

    IndicatorsTopology(DtmMetrics metrics, IndicatorGauges gauges) {
        this.metrics = metrics;
        this.gauges = gauges;
    }

    @Override
    public Role role() {
        return Role.INDICATORS;
    }

    @Override
    public void addTo(StreamsBuilder builder) {
        build(builder, metrics, gauges);
    }

    public static void build(StreamsBuilder builder, DtmMetrics metrics, IndicatorGauges gauges) {
        JsonSerde<Observation> observationSerde = JsonSerde.of(Observation.class);
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SERIES_STORE), Serdes.String(), observationSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(INDICATOR_STORE), Serdes.String(), JsonSerde.of(IndicatorValue.class)));

        builder.stream(Topics.OBSERVATIONS.name(), Topics.OBSERVATIONS.consumed("indicators-read-observations"))
                .filter((key, obs) -> obs != null && YoyGrowthProcessor.selects(obs), Named.as("indicators-select"))
                .selectKey((key, obs) -> obs.series().toString(), Named.as("indicators-key-by-series"))
                .repartition(Repartitioned.with(Serdes.String(), observationSerde).withName("indicators-by-series"))
                .process(() -> new YoyGrowthProcessor(metrics, gauges), Named.as("indicators-yoy-growth"),
                        SERIES_STORE, INDICATOR_STORE)
                .to(Topics.INDICATORS.name(), Topics.INDICATORS.produced("indicators-write"));
    }
}
