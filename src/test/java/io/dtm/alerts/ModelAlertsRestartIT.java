package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.AlertTransition;
import io.dtm.events.ModelSnapshot;
import io.dtm.streams.Topic;
import io.dtm.streams.Topics;
import io.dtm.support.KafkaBroker;
import io.dtm.support.ReleasePanel;
import io.dtm.support.TestEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model alerts against a real broker, with a crash: the same panel published under three sets of economies (one
 * model each) in release order, shuffled, and shuffled with the process killed ({@code destroyForcibly}, kill -9:
 * no commit, no close) while it loads the panel and started again on the same state directory. Each model ends
 * with the pending and firing alerts, and the transitions' values, that the ordered panel gives in a
 * {@link ModelAlertsOrderTest} replay. The application runs against a broker of its own, as it uses the service's
 * topic names.
 */
class ModelAlertsRestartIT {

    /** Generous: a loaded machine (two cores shared with other builds) once needed more than four minutes. */
    private static final Duration PATIENCE = Duration.ofMinutes(6);
    private static final String SOURCE = "urn:test:releases";

    @TempDir
    Path dir;

    @Test
    void shouldRaiseTheSameModelAlertsInOrderShuffledAndAcrossAKillAndRestart() throws Exception {
        List<ReleasePanel.Event> inOrder = ReleasePanel.events(ReleasePanel.A, 5);
        List<ReleasePanel.Event> shuffled = new ArrayList<>(ReleasePanel.events(ReleasePanel.B, 5));
        Collections.shuffle(shuffled, new Random(1));
        List<ReleasePanel.Event> killed = new ArrayList<>(ReleasePanel.events(ReleasePanel.C, 5));
        Collections.shuffle(killed, new Random(2));
        Map<String, AlertTransition> expected = ModelAlertsOrderTest.comparable(
                ModelAlertsOrderTest.replay(dir.resolve("replay"), inOrder, null).active());
        assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("driver-significance-lost|")), "" + expected);

        Path state = dir.resolve("state");
        try (KafkaClusterTestKit kafka = KafkaBroker.startSeparate();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            String bootstrap = kafka.bootstrapServers();
            createTopics(bootstrap);
            List<ProducerRecord<byte[], byte[]>> rules = new ArrayList<>();
            ReleaseAlertsApp.rules().values().forEach(rule -> rules.add(new ProducerRecord<>(Topics.ALERT_RULES.name(),
                    TestEvents.bytes(rule.id()), ModelAlertsOrderTest.json(rule))));
            KafkaBroker.sendAll(producer, rules);
            publish(producer, inOrder);
            publish(producer, shuffled);
            publish(producer, killed.subList(0, killed.size() / 2));

            // killed once it has committed alert transitions and a live estimate of the half-published panel
            Process first = start(bootstrap, state, "first");
            try (KafkaConsumer<String, ModelSnapshot> snapshots = consumer(bootstrap, Topics.MODEL);
                    KafkaConsumer<String, AlertTransition> transitions = consumer(bootstrap, Topics.ALERTS)) {
                Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> {
                    assertTrue(first.isAlive(), "the application runs");
                    return anyOf(snapshots, "drivers-c");
                });
                Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> {
                    assertTrue(first.isAlive(), "the application runs");
                    return !transitions.poll(Duration.ofMillis(50)).isEmpty();
                });
            } finally {
                first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            publish(producer, killed.subList(killed.size() / 2, killed.size()));

            Process second = start(bootstrap, state, "second");
            try (KafkaConsumer<String, AlertTransition> alerts = consumer(bootstrap, Topics.ALERTS)) {
                List<AlertTransition> seen = new ArrayList<>();
                Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertTrue(second.isAlive(), "the application runs");
                    alerts.poll(Duration.ofMillis(500)).forEach(r -> seen.add(r.value()));
                    Map<String, Map<String, AlertTransition>> got = new TreeMap<>();
                    got.put("in order", normalised(seen, "", ReleasePanel.A));
                    got.put("shuffled", normalised(seen, "-b", ReleasePanel.B));
                    got.put("shuffled, killed and restarted", normalised(seen, "-c", ReleasePanel.C));
                    assertEquals(Map.of("in order", expected, "shuffled", expected, "shuffled, killed and restarted",
                            expected), got, () -> summary(expected, got));
                });
                System.out.printf("model alerts on a real broker: %d active alerts per model equal in order, "
                        + "shuffled and across a kill -9 (%d transitions in all)%n", expected.size(), seen.size());
            } finally {
                second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String summary(Map<String, AlertTransition> expected,
            Map<String, Map<String, AlertTransition>> got) {
        StringBuilder text = new StringBuilder("expected " + brief(expected));
        got.forEach((run, active) -> text.append("\n").append(run).append(": ").append(brief(active)));
        return text.toString();
    }

    private static List<String> brief(Map<String, AlertTransition> active) {
        return active.values().stream().map(t -> t.key() + " " + t.status() + " since " + t.since() + " at "
                + t.period() + " = " + t.value() + " (before " + t.previousValue() + ")").toList();
    }

    /** Whether a poll brings a committed live snapshot of {@code model}. */
    private static boolean anyOf(KafkaConsumer<String, ModelSnapshot> snapshots, String model) {
        for (var r : snapshots.poll(Duration.ofMillis(50))) {
            if (model.equals(r.key())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The active alerts of the model {@code drivers + suffix} as the model {@code drivers} over {@link ReleasePanel#A}
     * would have them: rule, key, labels, ids and the economies named in event ids renamed.
     */
    private static Map<String, AlertTransition> normalised(List<AlertTransition> all, String suffix,
            List<String> entities) {
        List<AlertTransition> renamed = new ArrayList<>();
        for (AlertTransition t : all) {
            if (!("drivers" + suffix).equals(t.labels().get("model"))) {
                continue;
            }
            String rule = t.rule().substring(0, t.rule().length() - suffix.length());
            String[] parts = t.key().split("\\|");
            parts[0] = rule;
            parts[1] = "drivers";
            String key = String.join("|", parts);
            Map<String, String> labels = new LinkedHashMap<>(t.labels());
            labels.put("model", "drivers");
            String eventId = t.eventId();
            for (int i = 0; eventId != null && i < entities.size(); i++) {
                eventId = eventId.replace("-" + entities.get(i) + "-", "-" + ReleasePanel.A.get(i) + "-");
            }
            renamed.add(new AlertTransition(key, AlertProcessor.transitionId(key, t.status(), t.since()), rule,
                    t.severity(), t.scope(), t.description(), labels, t.from(), t.status(), t.since(), t.period(),
                    t.value(), t.previousValue(), t.at(), t.source(), eventId, t.vintage()));
        }
        return ModelAlertsOrderTest.comparable(ModelAlertsOrderTest.active(renamed));
    }

    /**
     * Publishes {@code events} in their order and waits until the broker has every one: a send that failed (its
     * batch expired after retries) would silently change the panel and with it the alerts.
     */
    private static void publish(KafkaProducer<byte[], byte[]> producer, List<ReleasePanel.Event> events)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (ReleasePanel.Event e : events) {
            records.add(new ProducerRecord<>(Topics.of(e.feed()).name(), null, TestEvents.bytes("k"),
                    TestEvents.bytes(e.cloudEvent(SOURCE)), TestEvents.structuredHeaders()));
        }
        KafkaBroker.sendAll(producer, records);
    }

    private static void createTopics(String bootstrap) throws Exception {
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?, ?> t : Topics.feeds()) {
            topics.add(new NewTopic(t.name(), 3, (short) 1));
        }
        for (Topic<?, ?> t : List.of(Topics.INDICATORS, Topics.MODEL, Topics.ALERTS)) {
            topics.add(new NewTopic(t.name(), 3, (short) 1));
        }
        for (Topic<?, ?> t : List.of(Topics.OBSERVATIONS, Topics.MODEL_RELEASES, Topics.ALERT_RULES)) {
            topics.add(new NewTopic(t.name(), 3, (short) 1).configs(compacted));
        }
        KafkaBroker.createTopics(bootstrap, topics);
    }

    /** The application in a process of its own, its output in {@code target}. */
    private static Process start(String bootstrap, Path state, String name) throws Exception {
        Path log = Files.createTempFile(Path.of("target").toAbsolutePath(), "release-alerts-" + name + "-", ".log");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), ReleaseAlertsApp.class.getName(), bootstrap,
                state.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static <V> KafkaConsumer<String, V> consumer(String bootstrap, Topic<String, V> topic) {
        Deserializer<V> values = topic.valueSerde().deserializer();
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), topic.keySerde().deserializer(), values);
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }
}
