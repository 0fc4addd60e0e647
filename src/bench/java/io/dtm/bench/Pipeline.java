package io.dtm.bench;

import io.dtm.indicators.Catalogue;
import io.dtm.indicators.IndicatorsTopology;
import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * (c) The real pipeline: {@link IngestTopology#build} + {@link IndicatorsTopology#build}, wired as the service wires
 * them when both roles run in one application (the winning observations handed over in process, and written to
 * {@code dtm.observations.v1}), with the default catalogue (and the broker to read the history of new entries
 * from, as in the service), persistent stores and the meters on a {@link SimpleMeterRegistry}. Done when the
 * indicator inputs computed ({@code dtm.event.to.indicator}, recorded once per input by {@code indicators-compute})
 * reach the number the catalogue places for the events that win their (series, period), known exactly once every
 * revision has been resolved ({@code dtm.events.received}, {@code accepted} = N, {@code revised + stale} = the
 * revisions; see {@link SyntheticTrade}). Its peak heap is reported: a full collection comes first.
 */
record Pipeline() implements Phase.WarmedUp {

    @Override
    public String name() {
        return "(c) pipeline";
    }

    @Override
    public Outcome run(Bench bench) throws Exception {
        System.gc();
        int events = bench.events();
        SyntheticTrade.Data data = bench.data();
        Meters pipeline = topology(bench.appId("pipeline"), bench);
        String appId = pipeline.appId();
        Counter received = pipeline.counter("dtm.events.received");
        Counter accepted = pipeline.counter("dtm.events.accepted");
        Counter revised = pipeline.counter("dtm.observations.revised");
        Counter stale = pipeline.counter("dtm.observations.stale");
        Timer computed = pipeline.registry().get("dtm.event.to.indicator").timer();
        BooleanSupplier done = () -> {
            // revised + stale = revisions: every event has met the vintage store, so stale is final
            if (received.count() < events || accepted.count() < events
                    || revised.count() + stale.count() < data.revisions()) {
                return false;
            }
            return computed.count() >= data.expectedIndicatorInputs((long) stale.count());
        };
        Supplier<String> progress = () -> String.format(Locale.ROOT, "received %.0f, accepted %.0f, revised %.0f,"
                + " stale %.0f, indicator inputs %d of %d", received.count(), accepted.count(), revised.count(),
                stale.count(), computed.count(), data.expectedIndicatorInputs((long) stale.count()));
        StreamsRun run = StreamsRun.time(bench, new StreamsApp(name(), appId, pipeline.topology(), done, progress,
                () -> progress.get() + String.format(Locale.ROOT, "; indicator updates %.0f, exported series %d",
                        pipeline.registry().find("dtm.indicator.updates").counters().stream()
                                .mapToDouble(Counter::count).sum(), pipeline.gauges().size())));

        long staleCount = (long) stale.count();
        Set<String> keys = new HashSet<>();
        long observations = bench.countCommitted(Topics.OBSERVATIONS.name(), keys);
        long indicators = bench.countCommitted(Topics.INDICATORS.name(), null);
        long dlq = bench.countCommitted(Topics.DLQ.name(), null);
        if (observations != events - staleCount || keys.size() != data.cells() || dlq != 0) {
            throw new IllegalStateException("(c) outputs are not as expected: " + observations + " observations (want "
                    + (events - staleCount) + "), " + keys.size() + " keys (want " + data.cells() + "), " + dlq
                    + " dead letters");
        }
        return run.outcome(
                String.format(Locale.ROOT, "(c) details        %s; %s; load average %s; at the end: %s%n(c) records"
                        + " written  per event, by topic (%s- left out): %s", run.running(), run.threads(),
                        run.measurement().load(), run.atEnd(), appId, run.written()),
                String.format(Locale.ROOT, "(c) outputs        %s: %d records, %d keys; %s: %d records; %s: %d"
                        + " records", Topics.OBSERVATIONS.name(), observations, keys.size(), Topics.INDICATORS.name(),
                        indicators, Topics.DLQ.name(), dlq));
    }

    /** The same pipeline over the first W events; done when it has received them. */
    @Override
    public StreamsApp warmUp(Bench bench) {
        int warmup = bench.options().warmup();
        Meters warm = topology(bench.appId("warm-pipeline"), bench);
        Counter received = warm.counter("dtm.events.received");
        return new StreamsApp("warm-up (c)", warm.appId(), warm.topology(), () -> received.count() >= warmup,
                () -> String.format(Locale.ROOT, "received %.0f of %d", received.count(), warmup));
    }

    /** The pipeline's topology with its meters. */
    private record Meters(String appId, Topology topology, MeterRegistry registry, IndicatorGauges gauges) {

        /** A counter of the trade feed. */
        Counter counter(String name) {
            return registry.get(name).tag("feed", "trade").counter();
        }
    }

    private static Meters topology(String appId, Bench bench) {
        MeterRegistry registry = new SimpleMeterRegistry();
        DtmMetrics metrics = new DtmMetrics(registry);
        IndicatorGauges gauges = new IndicatorGauges(registry, 30, 10_000);
        Catalogue.KINDS.forEach(metrics::registerIndicatorKind);
        StreamsBuilder builder = TopologyProducer.newBuilder(appId);
        var winners = IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64,
                BenchKafka.PARTITIONS, Stores::persistentKeyValueStore, Clock.systemUTC());
        IndicatorsTopology.build(builder, Optional.of(winners), bench.catalogue(),
                KafkaConnection.of(bench.options().bootstrap()), metrics, gauges, Stores::persistentKeyValueStore);
        return new Meters(appId, builder.build(), registry, gauges);
    }
}
