package io.dtm.streams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * An in-memory view of a compacted topic of JSON values by key (a system of record such as the subscriptions or
 * the alert rules): a background consumer reads it from its beginning, so every instance sees every key; a write
 * waits for Kafka's acknowledgement and then shows in this instance's view at once; a tombstone deletes. A record
 * that cannot be read (reason {@code deserialization}) or that {@code onChange} refuses by throwing (reason
 * {@code processing}) is left out of the view and dead-lettered; the reader goes on.
 */
public final class CompactedTopicView<V> {

    private static final Logger LOG = Logger.getLogger(CompactedTopicView.class);

    private final String topic;
    private final Class<V> type;
    private final KafkaConnection kafka;
    private final BiConsumer<String, V> onChange;
    private final DeadLetters deadLetters;
    private final Map<String, V> byKey = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean everWritten;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private Thread reader;

    /**
     * @param onChange    called with each key and its new value ({@code null} when deleted), from the reader thread
     *                    or the writing thread; throws to refuse a value read from the topic
     * @param deadLetters where records that cannot be read or are refused go
     */
    public CompactedTopicView(String topic, Class<V> type, KafkaConnection kafka, BiConsumer<String, V> onChange,
            DeadLetters deadLetters) {
        this.topic = topic;
        this.type = type;
        this.kafka = kafka;
        this.onChange = onChange;
        this.deadLetters = deadLetters;
    }

    public void start() {
        reader = new Thread(this::read, "dtm-view-" + topic);
        reader.setDaemon(true);
        reader.start();
    }

    public void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (reader != null) {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        }
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Collection<V> values() {
        return byKey.values();
    }

    /**
     * Waits until the view has read what the topic held when the view started.
     *
     * @return whether it has, within {@code timeout}
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Once caught up: whether the topic has ever held a record (deleted ones included). */
    public boolean everWritten() {
        return everWritten;
    }

    /** Writes {@code value} (or, with {@code null}, a tombstone) and waits for Kafka's acknowledgement. */
    public void put(String key, V value) throws Exception {
        byte[] bytes = value == null ? null : JsonSerde.MAPPER.writeValueAsBytes(value);
        producer().send(new ProducerRecord<>(topic, key, bytes)).get(10, TimeUnit.SECONDS);
        apply(key, bytes);
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(kafka.with(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Applies a value this instance wrote (already validated by its writer). */
    private void apply(String key, byte[] bytes) {
        try {
            change(key, bytes == null ? null : JsonSerde.MAPPER.readValue(bytes, type));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("record %s written to %s left out: %s", key, topic, e.getMessage());
        }
    }

    /** Applies a record read from the topic; one that cannot be read or is refused is dead-lettered. */
    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            deadLetters.send(topic, DeadLetters.Reason.DESERIALIZATION, "a record without a key at " + where(record),
                    null, record.value(), record.headers());
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        V value;
        try {
            value = record.value() == null ? null : JsonSerde.MAPPER.readValue(record.value(), type);
        } catch (IOException | RuntimeException e) {
            deadLetters.send(topic, DeadLetters.Reason.DESERIALIZATION, "cannot read " + type.getSimpleName() + " "
                    + key + " at " + where(record) + ": " + DeadLetters.describe(e), record.key(), record.value(),
                    record.headers());
            return;
        }
        try {
            change(key, value);
        } catch (RuntimeException e) {
            deadLetters.send(topic, DeadLetters.Reason.PROCESSING, type.getSimpleName() + " " + key + " at "
                    + where(record) + " left out: " + DeadLetters.describe(e), record.key(), record.value(),
                    record.headers());
        }
    }

    private void change(String key, V value) {
        if (value == null) {
            byKey.remove(key);
            onChange.accept(key, null);
            return;
        }
        onChange.accept(key, value);
        byKey.put(key, value);
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private void read() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.with(
                    ConsumerConfig.GROUP_ID_CONFIG, "dtm-view-" + topic + "-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " not found");
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = c.endOffsets(partitions);
                everWritten = end.values().stream().anyMatch(o -> o > 0);
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        apply(r);
                    }
                    if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> c.position(p) >= end.get(p))) {
                        caughtUp.countDown();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("reading %s failed (%s); retrying", topic, e.getMessage());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
