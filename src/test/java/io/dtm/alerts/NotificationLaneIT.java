package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtm.events.AlertTransition;
import io.dtm.metrics.NotificationMetrics;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.KafkaConnection;
import io.dtm.support.KafkaBroker;
import io.dtm.support.KafkaResource;
import io.dtm.support.WebhookReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A subscription's lane behind a dispatcher against the real broker: stopped while its receiver is down (a
 * restart), the next dispatcher resumes the pending notification with the same idempotency key, and once it is
 * delivered a further restart sends nothing again. (A Quarkus test: SmallRye Fault Tolerance's programmatic API
 * needs its runtime.)
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class NotificationLaneIT {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NotificationMetrics metrics = new NotificationMetrics(registry);
    private final ExecutorService workers = Notifier.workers(2);
    @Inject
    Vertx vertx;
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;
    private String topic;

    @BeforeEach
    void createTopic() throws Exception {
        topic = "test.alerts." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
        admin = Admin.create(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()));
    }

    @AfterEach
    void closeProducer() {
        producer.close();
        admin.close();
        workers.shutdownNow();
    }

    @Test
    void shouldResumeAPendingNotificationAfterARestartWithTheSameIdempotencyKey() throws Exception {
        // down for the first lane's attempts (many retries), up for the second lane
        int[] down = new int[40];
        java.util.Arrays.fill(down, 503);
        try (WebhookReceiver receiver = new WebhookReceiver(down)) {
            Subscription s = new Subscription("lane-" + UUID.randomUUID().toString().substring(0, 8), "webhook",
                    receiver.url() + "/hook", List.of(), Map.of(), "lane-test-secret-0123456789",
                    System.currentTimeMillis() - 1000);
            AlertTransition t = new AlertTransition("r|CHN", "t-1", "r", "warning", "country", "a rule",
                    Map.of("reporter", "CHN"), "pending", "firing", "2024", "2024", 1.0, 5.0,
                    System.currentTimeMillis(), "urn:s", "e-1", "2025-01-01");
            producer.send(new ProducerRecord<>(topic, t.key(), JsonSerde.MAPPER.writeValueAsBytes(t))).get();

            NotificationDispatcher first = dispatcher(s, 30).start();
            receiver.await(r -> true, 2, Duration.ofSeconds(30));
            first.stop(); // a restart while the receiver is down
            receiver.clearQueuedStatuses(); // the receiver is back

            NotificationDispatcher second = dispatcher(s, 30).start();
            receiver.await(r -> r.answered() == 200, 1, Duration.ofSeconds(30));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> delivered() == 1.0);
            Thread.sleep(300); // the lane records the delivery just after the count
            second.stop();
            Set<String> keys = receiver.requests().stream().map(r -> r.header(Notifications.IDEMPOTENCY_HEADER))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(Notifications.idempotencyKey(t, s.id())), keys);

            int total = receiver.requests().size();
            NotificationDispatcher third = dispatcher(s, 30).start();
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                    assertEquals(total, receiver.requests().size(), "a delivered notification is not sent again"));
            third.stop();
            assertEquals(1.0, delivered());
            var stored = admin.listConsumerGroupOffsets(NotificationLane.groupId(s)).partitionsToOffsetAndMetadata()
                    .get();
            assertEquals(1L, stored.get(new TopicPartition(topic, 0)).offset(), "the position is the subscription's");
        }
    }

    private double delivered() {
        return registry.get("dtm.notifications").tags("channel", "webhook", "outcome", "delivered").counter().count();
    }

    private NotificationDispatcher dispatcher(Subscription s, int retries) {
        AlertsConfig.DeliveryConfig config = DeliverySettings.quick(retries, Duration.ofSeconds(2), 2);
        NotificationSender sender = new NotificationSender(vertx.createHttpClient(Notifier.httpOptions(config)),
                producer, new TargetGuard(List.of("127.0.0.1")), config.timeout(), config.externalUrl(),
                Duration.ofMinutes(4));
        return new NotificationDispatcher(topic, "test-notifier-" + topic,
                KafkaConnection.of(KafkaBroker.bootstrapServers()), admin, () -> List.of(s),
                sub -> new NotificationLane(sub, sender, producer, metrics, workers, config));
    }
}
