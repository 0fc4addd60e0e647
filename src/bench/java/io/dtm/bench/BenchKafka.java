package io.dtm.bench;

import io.dtm.streams.Topic;
import io.dtm.streams.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.logging.Handler;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.slf4j.LoggerFactory;

/**
 * The benchmarks' Kafka: their topics, the settings of the feed producer and of Kafka Streams (the service's, where
 * they matter to the figures), reading a topic's committed records back, and the clients' logging.
 */
final class BenchKafka {

    static final int PARTITIONS = 3;
    /** Output of the pass-through (b). */
    static final String PASS_THROUGH_TOPIC = "dtm.bench.passthrough.v1";
    /** Output of the pass-through's warm-up. */
    static final String WARMUP_TOPIC = "dtm.bench.warmup.v1";
    /** The observations of the contract's records without the work (d). */
    static final String FLOOR_OBSERVATIONS_TOPIC = "dtm.bench.floor.observations.v1";
    /** The indicator values of (d), and the one record per observation of (f). */
    static final String FLOOR_INDICATORS_TOPIC = "dtm.bench.floor.indicators.v1";

    private static final Map<String, String> COMPACTED = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.RETENTION_MS_CONFIG, "-1");

    private BenchKafka() {
    }

    /** The service's topics the pipeline reads and writes: the feeds, observations, indicators, dead letters. */
    static List<NewTopic> pipelineTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?, ?> feed : Topics.feeds()) {
            topics.add(new NewTopic(feed.name(), PARTITIONS, (short) 1));
        }
        topics.add(new NewTopic(Topics.OBSERVATIONS.name(), PARTITIONS, (short) 1).configs(COMPACTED));
        topics.add(new NewTopic(Topics.INDICATORS.name(), PARTITIONS, (short) 1).configs(COMPACTED));
        topics.add(new NewTopic(Topics.DLQ.name(), PARTITIONS, (short) 1)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        return topics;
    }

    /** The pipeline's topics and the throughput benchmark's own. */
    static List<NewTopic> throughputTopics() {
        List<NewTopic> topics = pipelineTopics();
        topics.add(new NewTopic(PASS_THROUGH_TOPIC, PARTITIONS, (short) 1));
        topics.add(new NewTopic(WARMUP_TOPIC, PARTITIONS, (short) 1));
        topics.add(new NewTopic(FLOOR_OBSERVATIONS_TOPIC, PARTITIONS, (short) 1).configs(COMPACTED));
        topics.add(new NewTopic(FLOOR_INDICATORS_TOPIC, PARTITIONS, (short) 1).configs(COMPACTED));
        return topics;
    }

    /** Creates the topics one by one, those that exist left as they are. */
    static void createTopics(String bootstrap, List<NewTopic> topics) throws InterruptedException,
            ExecutionException {
        try (Admin admin = admin(bootstrap)) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Deletes the topics and waits until the broker no longer lists them. */
    static void deleteTopics(String bootstrap, Collection<String> topics, Duration timeout) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.deleteTopics(topics).all().get();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Collections.disjoint(admin.listTopics().names().get(), topics)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the topics " + topics + " are not deleted");
                }
                Thread.sleep(100);
            }
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** The settings of the producer that publishes the events to the feed topics. */
    static Properties feedProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return props;
    }

    /** The service's Kafka Streams settings that matter to the figures: exactly-once v2, named resources, lz4. */
    static Properties streamsProperties(String appId, String bootstrap, Path dir, int commitIntervalMs, int threads) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return props;
    }

    /**
     * The records of a topic that are committed (read_committed, to the last stable offset), counted; their keys
     * added to {@code keys} unless null.
     */
    static long countCommitted(String bootstrap, String clientId, String topic, Set<String> keys, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long count = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    if (keys != null) {
                        keys.add(new String(r.key(), StandardCharsets.UTF_8));
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read " + topic + " to its end");
                }
            }
            return count;
        }
    }

    /** The partitions of a topic. */
    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /**
     * SLF4J is bound to the JBoss Log Manager here, as in the service; on this classpath, outside Quarkus, its
     * root logger is left at ALL with a handler that buffers every record for a Quarkus start that never comes, so
     * that every {@code trace} of the Kafka clients would be formatted on the hot path. Configure it as the service
     * runs: INFO, {@code org.apache.kafka} at WARN, to stderr (stdout carries the figures).
     */
    static void configureLogging() {
        org.jboss.logmanager.Logger root = LogContext.getLogContext().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new ConsoleHandler(ConsoleHandler.Target.SYSTEM_ERR,
                new PatternFormatter("%d{HH:mm:ss,SSS} %-5p [%c{1.}] (%t) %s%e%n")));
        root.setLevel(Level.INFO);
        LogContext.getLogContext().getLogger("org.apache.kafka")
                .setLevel(Level.WARN);
        // Kafka Streams creates its repartition topics after its consumer first asks for them: not worth a warning
        LogContext.getLogContext().getLogger("org.apache.kafka.clients.NetworkClient")
                .setLevel(Level.ERROR);
        if (LoggerFactory.getLogger("org.apache.kafka.clients.producer.KafkaProducer").isDebugEnabled()) {
            throw new IllegalStateException("logging is not configured: Kafka debug logging is on");
        }
    }
}
