package io.dtm.alerts;

import static io.dtm.alerts.Deliveries.firing;
import static io.dtm.alerts.Deliveries.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtm.events.AlertTransition;
import io.dtm.metrics.NotificationMetrics;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Topics;
import io.dtm.support.KafkaBroker;
import io.dtm.support.KafkaResource;
import io.dtm.support.TopicReader;
import io.dtm.support.WebhookReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A subscription's lane behind the dispatcher against the real broker: stopped while its receiver is down (a
 * restart), the next dispatcher of the same group resumes the pending notification with the same idempotency key,
 * and once it is delivered a further restart sends nothing again; a receiver that never answers gets the first
 * attempt and every retry, then the notification is dead-lettered and the group's position moves past it.
 * (A Quarkus test: SmallRye Fault Tolerance's programmatic API needs its runtime.)
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
    private String group;

    @BeforeEach
    void createTopic() throws Exception {
        topic = "test.alerts." + UUID.randomUUID();
        group = "test-notifier-" + topic;
        Deliveries.createTopic(topic, 1);
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
        // down for the first dispatcher's attempts (many retries), up for the second one
        int[] down = new int[40];
        java.util.Arrays.fill(down, 503);
        try (WebhookReceiver receiver = new WebhookReceiver(down)) {
            Subscription s = subscription(receiver.url() + "/hook");
            AlertTransition t = firing("t-1");
            publish(producer, topic, t);

            NotificationDispatcher first = dispatcher(s, 30).start();
            receiver.await(r -> true, 2, Duration.ofSeconds(30));
            first.stop(); // a restart while the receiver is down
            assertEquals(0L, committed(), "nothing done, nothing committed past it");
            receiver.clearQueuedStatuses(); // the receiver is back

            NotificationDispatcher second = dispatcher(s, 30).start();
            receiver.await(r -> r.answered() == 200, 1, Duration.ofSeconds(30));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 1L);
            second.stop();
            Set<String> keys = receiver.requests().stream().map(r -> r.header(Notifications.IDEMPOTENCY_HEADER))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(Notifications.idempotencyKey(t, s.id())), keys);
            assertEquals(1.0, count("delivered"));

            int total = receiver.requests().size();
            NotificationDispatcher third = dispatcher(s, 30).start();
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                    assertEquals(total, receiver.requests().size(), "a delivered notification is not sent again"));
            third.stop();
            assertEquals(1.0, count("delivered"));
            assertEquals(1L, committed(), "the position is the service's group's");
        }
    }

    @Test
    void shouldRetryThenDeadLetterAndMovePast() throws Exception {
        int[] down = new int[20];
        java.util.Arrays.fill(down, 503);
        try (WebhookReceiver receiver = new WebhookReceiver(down);
                var dlq = new TopicReader<>(Topics.NOTIFICATIONS_DLQ.name(), new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            Subscription s = subscription(receiver.url() + "/hook?token=s3cr3t-t0k3n");
            AlertTransition t = firing("t-dead");
            publish(producer, topic, t);
            NotificationDispatcher dispatcher = dispatcher(s, 2).start();
            try {
                String key = Notifications.idempotencyKey(t, s.id());
                var dead = dlq.await(r -> key.equals(r.key()), Duration.ofSeconds(30));
                JsonNode value = JsonSerde.MAPPER.readTree(dead.value());
                assertEquals(s.id(), value.get("subscription").asText());
                assertEquals(3, value.get("attempts").asInt(), "the first attempt and two retries");
                assertEquals("t-dead", value.get("transition").get("id").asText());
                assertEquals("delivery-failed", new String(dead.headers().lastHeader("dtm.error.reason").value(),
                        StandardCharsets.UTF_8));
                assertFalse(new String(dead.value(), StandardCharsets.UTF_8).contains("s3cr3t-t0k3n"));
                assertEquals(3, receiver.requests().size());
                assertEquals(Set.of(key), receiver.requests().stream()
                        .map(r -> r.header(Notifications.IDEMPOTENCY_HEADER)).collect(Collectors.toSet()));
                assertEquals(2.0, count("failed"));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("dead-lettered") == 1.0);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 1L);
            } finally {
                dispatcher.stop();
            }
        }
    }

    private static Subscription subscription(String url) {
        return new Subscription("lane-" + UUID.randomUUID().toString().substring(0, 8), "webhook", url, List.of(),
                Map.of(), "lane-test-secret-0123456789", System.currentTimeMillis() - 1000);
    }

    private double count(String outcome) {
        return registry.get("dtm.notifications").tags("channel", "webhook", "outcome", outcome).counter().count();
    }

    private Long committed() throws Exception {
        var o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .get(new TopicPartition(topic, 0));
        return o == null ? null : o.offset();
    }

    private NotificationDispatcher dispatcher(Subscription s, int retries) {
        return Deliveries.dispatcher(vertx, topic, group, () -> List.of(s), producer, metrics, workers,
                DeliverySettings.quick(retries, Duration.ofSeconds(2), 2), NotificationLane.CAPACITY);
    }
}
