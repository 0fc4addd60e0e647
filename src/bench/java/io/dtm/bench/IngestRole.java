package io.dtm.bench;

import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.DtmMetrics;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The ingest part of (c) as an application with only the ingest role: decoding (CloudEvents SDK), validation, the
 * vintage store and {@code dtm.observations.v1} (written a second time, after (c)'s records). Done when every event
 * has met the vintage store ({@code accepted} = N, {@code revised + stale} = the revisions) and, with
 * {@code writeOn}, every winner has been written on. Checks that every winner reached the phase's last topic.
 *
 * @param name its label
 * @param appIdKind its kind of application id
 * @param writeOn whether each winning observation also goes on as {@link #INDICATOR_VALUE} to
 *        {@link BenchKafka#FLOOR_INDICATORS_TOPIC}
 */
record IngestRole(String name, String appIdKind, boolean writeOn) implements Phase {

    /** (e) What the work before the indicators leaves of the pass-through's rate. */
    static final IngestRole ALONE = new IngestRole("(e) ingest alone", "ingest", false);

    /**
     * (f) The ingest role, then one record per winning observation to a compacted topic of its own, with nothing
     * computed: what (c) would cost if its indicators cost one output record each and nothing more (no computing, no
     * serializing, no group repartition or stores). (c) does all of this and more, so on a machine bound by CPU
     * (f)/(b) bounds (c)/(b) from above, measured rather than estimated.
     */
    static final IngestRole WITH_OUTPUT = new IngestRole("(f) ingest + output", "ingest-out", true);

    /** The value (f) writes for each observation: about the size of an indicator value, built once. */
    private static final byte[] INDICATOR_VALUE = ("{\"indicator\":\"yoy_growth_pct\",\"id\":\"trade-yoy-growth\","
            + "\"reporter\":\"CHN\",\"partner\":\"WLD\",\"flow\":\"EXPORT\",\"category\":\"DDS\",\"period\":"
            + "\"2024-01\",\"value\":12.5,\"synthetic\":true,\"inputs\":[]}").getBytes(StandardCharsets.UTF_8);

    @Override
    public Outcome run(Bench bench) throws Exception {
        int events = bench.events();
        SyntheticTrade.Data data = bench.data();
        String appId = bench.appId(appIdKind);
        String label = name.substring(0, 3);
        MeterRegistry registry = new SimpleMeterRegistry();
        DtmMetrics metrics = new DtmMetrics(registry);
        StreamsBuilder builder = TopologyProducer.newBuilder(appId);
        var winners = IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64,
                BenchKafka.PARTITIONS, Stores::persistentKeyValueStore, Clock.systemUTC());
        AtomicLong passed = new AtomicLong();
        if (writeOn) {
            winners.stream()
                    .mapValues(obs -> INDICATOR_VALUE, Named.as("bench-ingest-out-value"))
                    .peek((k, v) -> passed.incrementAndGet(), Named.as("bench-ingest-out-count"))
                    .to(BenchKafka.FLOOR_INDICATORS_TOPIC, Produced.with(Serdes.String(), Serdes.ByteArray())
                            .withName("bench-ingest-out-write"));
        }
        String output = writeOn ? BenchKafka.FLOOR_INDICATORS_TOPIC : Topics.OBSERVATIONS.name();
        Counter received = registry.get("dtm.events.received").tag("feed", "trade").counter();
        Counter accepted = registry.get("dtm.events.accepted").tag("feed", "trade").counter();
        Counter revised = registry.get("dtm.observations.revised").tag("feed", "trade").counter();
        Counter stale = registry.get("dtm.observations.stale").tag("feed", "trade").counter();
        long before = bench.countCommitted(output, null);
        StreamsRun run = StreamsRun.time(bench, new StreamsApp(name, appId, builder.build(),
                () -> accepted.count() >= events && revised.count() + stale.count() >= data.revisions()
                        && (!writeOn || passed.get() >= events - (long) stale.count()),
                () -> String.format(Locale.ROOT, "received %.0f, accepted %.0f, revised %.0f, stale %.0f%s",
                        received.count(), accepted.count(), revised.count(), stale.count(),
                        writeOn ? ", written on " + passed.get() : "")));
        long out = bench.countCommitted(output, null) - before;
        if (out != events - (long) stale.count()) {
            throw new IllegalStateException(label + " wrote " + out + " records to " + output + ", expected "
                    + (events - (long) stale.count()));
        }
        return run.outcome(String.format(Locale.ROOT, "%s details        %s; %d records written to %s; records"
                + " written per event: %s; %s; load average %s", label, run.running(), out, output, run.written(),
                run.threads(), run.measurement().load()));
    }
}
