package io.dtm.support;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.awaitility.Awaitility;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.nio.file.Path;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real single-node KRaft broker (combined broker and controller) for the whole test run, started in-process
 * with Kafka's {@link KafkaClusterTestKit} on free ports of 127.0.0.1 and stopped when the JVM exits.
 */
public final class KafkaBroker {

    private static KafkaClusterTestKit cluster;

    private KafkaBroker() {
    }

    /** The bootstrap servers of the shared broker, starting it on first use. */
    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            cluster = start();
            Runtime.getRuntime().addShutdownHook(new Thread(KafkaBroker::stop, "kafka-broker-stop"));
        }
        return cluster.bootstrapServers();
    }

    /**
     * A broker of its own on free ports of 127.0.0.1, apart from the shared one (the caller closes it): for a test
     * that compares runs on empty topics, or whose application uses the service's topic names but must neither see
     * nor feed the service that the other tests run against the shared broker.
     */
    public static KafkaClusterTestKit startSeparate() {
        return start();
    }

    private static KafkaClusterTestKit start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka-testkit-");
            KafkaClusterTestKit kit = singleNode(new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dir)
                    .build())).build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return kit;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka broker", e);
        }
    }

    /** A single node's settings: no rebalance delay, internal topics of one replica and three partitions. */
    static KafkaClusterTestKit.Builder singleNode(KafkaClusterTestKit.Builder kit) {
        return kit.setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "3")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "3")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1");
    }

    /**
     * Creates {@code topics} (those that exist already are left as they are) and waits until the broker leads every partition of them, so that the first records
     * sent to a new topic are not refused ({@code NOT_LEADER_OR_FOLLOWER}) while its leadership is being set up:
     * a producer's retries of such a first batch can end in {@code OUT_OF_ORDER_SEQUENCE_NUMBER} until the batch
     * expires, and the records are lost.
     */
    public static void createTopics(String bootstrap, Collection<NewTopic> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            List<String> names = topics.stream().map(NewTopic::name).toList();
            Awaitility.await("a leader for every partition of " + names).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values()
                            .stream().flatMap(d -> d.partitions().stream())
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        }
        try (KafkaProducer<byte[], byte[]> probe = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (NewTopic topic : topics) {
                Awaitility.await("the producer's metadata of " + topic.name()).atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> probe.partitionsFor(topic.name()).stream().allMatch(p -> p.leader() != null
                                && !p.leader().isEmpty()));
            }
        }
    }

    /** Sends {@code records} in order and fails, naming the first, if the broker did not take every one. */
    public static void sendAll(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records)
            throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> r : records) {
            sent.add(producer.send(r));
        }
        producer.flush();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
            } catch (ExecutionException e) {
                throw new AssertionError("record " + (i + 1) + " of " + sent.size() + " (to "
                        + records.get(i).topic() + ") was not written: " + e.getCause(), e.getCause());
            }
        }
    }

    /** A producer of raw records to the shared broker, waiting for every replica (close it). */
    public static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static synchronized void stop() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                // the JVM is exiting; nothing more to do
            }
            cluster = null;
        }
    }
}
