package io.dtm.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.awaitility.Awaitility;

/**
 * Reads a topic of the real broker from the beginning (read_committed, a group of its own) for assertions. Records
 * its deserializers cannot read (the bad records some tests write on purpose) are skipped.
 */
public final class TopicReader<K, V> implements AutoCloseable {

    private final KafkaConsumer<K, V> consumer;
    private final List<ConsumerRecord<K, V>> seen = new ArrayList<>();

    public TopicReader(String topic, Deserializer<K> keys, Deserializer<V> values) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), keys, values);
        consumer.subscribe(List.of(topic));
    }

    /** Polls until a record read so far matches, and returns the first match. */
    public ConsumerRecord<K, V> await(Predicate<ConsumerRecord<K, V>> matches, Duration timeout) {
        List<ConsumerRecord<K, V>> found = new ArrayList<>();
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            poll(consumer, Duration.ofMillis(200)).forEach(seen::add);
            seen.stream().filter(matches).findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    /** Every record read so far that matches, after polling for {@code window}. */
    public List<ConsumerRecord<K, V>> readFor(Duration window, Predicate<ConsumerRecord<K, V>> matches) {
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            poll(consumer, Duration.ofMillis(100)).forEach(seen::add);
        }
        return seen.stream().filter(matches).toList();
    }

    /** {@code consumer.poll(timeout)}, stepping over a record that its deserializers cannot read. */
    public static <K, V> ConsumerRecords<K, V> poll(Consumer<K, V> consumer, Duration timeout) {
        try {
            return consumer.poll(timeout);
        } catch (RecordDeserializationException e) {
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return ConsumerRecords.empty();
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
