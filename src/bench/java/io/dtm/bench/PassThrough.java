package io.dtm.bench;

import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * (b) The floor Kafka Streams sets: a pass-through topology on {@code byte[]}, {@code dtm.trade.v1} →
 * {@code dtm.bench.passthrough.v1}, with the service's settings; done when its counter has passed N records on.
 * Its rate is the denominator of every ratio but (c)/(a).
 */
record PassThrough() implements Phase.WarmedUp {

    @Override
    public String name() {
        return "(b) pass-through";
    }

    @Override
    public Outcome run(Bench bench) throws Exception {
        int events = bench.events();
        String appId = bench.appId("passthrough");
        AtomicLong passed = new AtomicLong();
        StreamsRun run = StreamsRun.time(bench, new StreamsApp(name(), appId,
                topology(appId, BenchKafka.PASS_THROUGH_TOPIC, passed), () -> passed.get() >= events,
                () -> "passed " + passed.get() + " of " + events));
        long out = bench.countCommitted(BenchKafka.PASS_THROUGH_TOPIC, null);
        if (out != events) {
            throw new IllegalStateException("(b) wrote " + out + " records, expected " + events);
        }
        return run.outcome(String.format(Locale.ROOT, "(b) details        %s; %d records passed, %d read committed"
                + " from %s; %s; load average %s", run.running(), passed.get(), out, BenchKafka.PASS_THROUGH_TOPIC,
                run.threads(), run.measurement().load()));
    }

    /** The same pass-through over the first W events, to a topic of its own. */
    @Override
    public StreamsApp warmUp(Bench bench) {
        int warmup = bench.options().warmup();
        String appId = bench.appId("warm-passthrough");
        AtomicLong passed = new AtomicLong();
        return new StreamsApp("warm-up (b)", appId, topology(appId, BenchKafka.WARMUP_TOPIC, passed),
                () -> passed.get() >= warmup, () -> "passed " + passed.get() + " of " + warmup);
    }

    /** The pass-through on {@code byte[]}, {@code dtm.trade.v1} → {@code output}, counting into {@code passed}. */
    private static Topology topology(String appId, String output, AtomicLong passed) {
        StreamsBuilder builder = TopologyProducer.newBuilder(appId);
        builder.stream(Topics.TRADE.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("bench-read"))
                .peek((k, v) -> passed.incrementAndGet(), Named.as("bench-count"))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-write"));
        return builder.build();
    }
}
