package io.dtm.bench;

import io.dtm.streams.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * (a) How fast the records can be read at all: a plain {@code KafkaConsumer<byte[], byte[]>} (default settings, no
 * group) reads the N records of {@code dtm.trade.v1} from the beginning.
 */
record RawConsumer() implements Phase {

    @Override
    public String name() {
        return "(a) raw consumer";
    }

    @Override
    public Outcome run(Bench bench) {
        Meter meter = bench.meter(name());
        int events = bench.events();
        Duration timeout = bench.options().timeout();
        long count = 0;
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bench.options().bootstrap(),
                ConsumerConfig.CLIENT_ID_CONFIG, bench.appId("raw")), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = BenchKafka.partitions(consumer, Topics.TRADE.name());
            meter.start();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count < events) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    count++;
                    bytes += r.value().length;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("(a) read " + count + " of " + events + " records in " + timeout);
                }
            }
            return Outcome.of(meter.stop(count), String.format(Locale.ROOT, "(a) details        %d records, %.1f MB"
                    + " of values", count, bytes / 1e6));
        }
    }
}
