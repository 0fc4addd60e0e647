package io.dtm.bench;

import io.dtm.streams.Topics;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The input: the N synthetic trade events ({@link SyntheticTrade}) published to {@code dtm.trade.v1} with the feed
 * producer ({@link BenchKafka#feedProducer}: idempotent, {@code acks=all}, {@code linger.ms=10},
 * {@code batch.size=65536}, lz4), timed until it is flushed and closed. The events are not kept after.
 */
record Publish() implements Phase {

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public Outcome run(Bench bench) {
        List<SyntheticTrade.Event> events = bench.takeEvents();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Meter meter = bench.meter(name());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                BenchKafka.feedProducer(bench.options().bootstrap()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            meter.start();
            for (SyntheticTrade.Event e : events) {
                producer.send(new ProducerRecord<>(Topics.TRADE.name(), null, e.key(), e.value(),
                        SyntheticTrade.headers()), (md, ex) -> {
                            if (ex != null) {
                                failed.compareAndSet(null, ex);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("publishing failed", failed.get());
        }
        return Outcome.of(meter.stop(events.size()), bench.generated());
    }
}
