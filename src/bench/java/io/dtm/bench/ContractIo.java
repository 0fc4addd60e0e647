package io.dtm.bench;

import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * (d) The contract's records without the work: on {@code byte[]}, with nothing parsed, validated or computed, each
 * event put in a logged persistent store (its vintage cell and that store's changelog record), then written to two
 * compacted topics of its own (its observation, an indicator value): what (c) writes per event at the least. So
 * (d)/(b) is the most (c)/(b) could be on this machine. Done when its counter has passed N records on.
 */
record ContractIo() implements Phase {

    private static final String STORE = "bench-floor-store";

    @Override
    public String name() {
        return "(d) contract i/o";
    }

    @Override
    public Outcome run(Bench bench) throws Exception {
        int events = bench.events();
        String appId = bench.appId("floor");
        AtomicLong passed = new AtomicLong();
        StreamsRun run = StreamsRun.time(bench, new StreamsApp(name(), appId, topology(appId, passed),
                () -> passed.get() >= events, () -> "passed " + passed.get() + " of " + events));
        long observations = bench.countCommitted(BenchKafka.FLOOR_OBSERVATIONS_TOPIC, null);
        long indicators = bench.countCommitted(BenchKafka.FLOOR_INDICATORS_TOPIC, null);
        if (observations != events || indicators != events) {
            throw new IllegalStateException("(d) wrote " + observations + " and " + indicators + " records, expected "
                    + events + " each");
        }
        return run.outcome(String.format(Locale.ROOT, "(d) details        %s; %d records passed, %d and %d read"
                + " committed from %s and %s; records written per event: %s; %s; load average %s", run.running(),
                passed.get(), observations, indicators, BenchKafka.FLOOR_OBSERVATIONS_TOPIC,
                BenchKafka.FLOOR_INDICATORS_TOPIC, run.written(), run.threads(), run.measurement().load()));
    }

    private static Topology topology(String appId, AtomicLong passed) {
        StreamsBuilder builder = TopologyProducer.newBuilder(appId);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Serdes.ByteArray(), Serdes.ByteArray()));
        KStream<byte[], byte[]> stored = builder.stream(Topics.TRADE.name(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-floor-read"))
                .process(() -> new Processor<byte[], byte[], byte[], byte[]>() {
                    private ProcessorContext<byte[], byte[]> context;
                    private KeyValueStore<byte[], byte[]> store;

                    @Override
                    public void init(ProcessorContext<byte[], byte[]> context) {
                        this.context = context;
                        this.store = context.getStateStore(STORE);
                    }

                    @Override
                    public void process(Record<byte[], byte[]> record) {
                        store.put(record.key(), record.value());
                        context.forward(record);
                    }
                }, Named.as("bench-floor-store-write"), STORE);
        stored.to(BenchKafka.FLOOR_OBSERVATIONS_TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withName("bench-floor-write-observations"));
        stored.peek((k, v) -> passed.incrementAndGet(), Named.as("bench-floor-count"))
                .to(BenchKafka.FLOOR_INDICATORS_TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("bench-floor-write-indicators"));
        return builder.build();
    }
}
