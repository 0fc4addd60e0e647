package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher against the real broker: many subscriptions cost one consumer and a bounded pool, not a thread
 * and a consumer group member each; a receiver that answers slowly delays only its own notifications, which
 * still arrive in order.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class NotificationDispatcherIT {

    private static final int SUBSCRIPTIONS = 40;
    private static final int WORKERS = 2;

    @Inject
    Vertx vertx;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger workerThreads = new AtomicInteger();
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread t = new Thread(r, "test-notify-worker-" + workerThreads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;
    private String topic;

    @BeforeEach
    void createTopic() throws Exception {
        topic = "test.alerts." + UUID.randomUUID();
        admin = Admin.create(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        producer.close();
        admin.close();
        workers.shutdownNow();
    }

    @Test
    void shouldServeManySubscriptionsWithOneConsumerWhileASlowReceiverDelaysOnlyItsOwn() throws Exception {
        List<String> slowKeys = new CopyOnWriteArrayList<>();
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        slow.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(1500); // answers, but slowly
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowKeys.add(exchange.getRequestHeaders().getFirst(Notifications.IDEMPOTENCY_HEADER));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        slow.start();
        int threadsBefore = Thread.getAllStackTraces().size();
        try (WebhookReceiver fast = new WebhookReceiver()) {
            long created = System.currentTimeMillis() - 1000;
            List<Subscription> subscriptions = new ArrayList<>();
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                subscriptions.add(new Subscription("fast-" + i, "webhook", fast.url() + "/hook/" + i, List.of(),
                        Map.of(), "dispatcher-test-secret-0123", created));
            }
            Subscription slowOne = new Subscription("slow", "webhook", "http://127.0.0.1:"
                    + slow.getAddress().getPort() + "/hook", List.of(), Map.of(), "dispatcher-test-secret-0123",
                    created);
            subscriptions.add(slowOne);
            NotificationDispatcher dispatcher = dispatcher(subscriptions).start();
            try {
                List<AlertTransition> sent = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    AlertTransition t = transition("t-" + i);
                    sent.add(t);
                    // one key: one partition, so their order is the topic's
                    producer.send(new ProducerRecord<>(topic, "r|CHN", JsonSerde.MAPPER.writeValueAsBytes(t))).get();
                }
                // every fast subscription has all three while the slow one is still on its first or second
                fast.await(r -> true, 3 * SUBSCRIPTIONS, Duration.ofSeconds(30));
                assertTrue(slowKeys.size() < 3, "the fast ones did not wait for the slow one: " + slowKeys);
                int threadsDuring = Thread.getAllStackTraces().size();
                assertTrue(threadsDuring - threadsBefore < SUBSCRIPTIONS / 2, "threads grew from "
                        + threadsBefore + " to " + threadsDuring + " for " + (SUBSCRIPTIONS + 1) + " subscriptions");
                assertEquals(WORKERS, workerThreads.get(), "the pool stays bounded");
                for (int i = 0; i < SUBSCRIPTIONS; i++) {
                    int n = i;
                    assertEquals(3, fast.requests().stream().filter(r -> r.path().equals("/hook/" + n)).count());
                }

                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> slowKeys.size() == 3);
                assertEquals(sent.stream().map(t -> Notifications.idempotencyKey(t, "slow")).toList(), slowKeys,
                        "in order");
                // the subscriptions' groups only keep positions: no member joined them
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !admin.listConsumerGroupOffsets(
                        NotificationLane.groupId(slowOne)).partitionsToOffsetAndMetadata().get().isEmpty());
                var group = admin.describeConsumerGroups(List.of(NotificationLane.groupId(slowOne))).all().get()
                        .get(NotificationLane.groupId(slowOne));
                assertTrue(group.members().isEmpty(), group.toString());
            } finally {
                dispatcher.stop();
            }
        } finally {
            slow.stop(0);
        }
    }

    private static AlertTransition transition(String id) {
        return new AlertTransition("r|CHN", id, "r", "warning", "country", "a rule", Map.of("reporter", "CHN"),
                "pending", "firing", "2024", "2024", 1.0, 5.0, System.currentTimeMillis(), "urn:s", "e-" + id,
                "2025-01-01");
    }

    private NotificationDispatcher dispatcher(List<Subscription> subscriptions) {
        AlertsConfig.DeliveryConfig config = DeliverySettings.quick(2, Duration.ofSeconds(5), WORKERS);
        NotificationSender sender = new NotificationSender(vertx.createHttpClient(Notifier.httpOptions(config)),
                producer, new TargetGuard(List.of("127.0.0.1")), config.timeout(), config.externalUrl(),
                Duration.ofMinutes(4));
        NotificationMetrics metrics = new NotificationMetrics(registry);
        return new NotificationDispatcher(topic, "test-notifier-" + topic,
                KafkaConnection.of(KafkaBroker.bootstrapServers()), admin, () -> subscriptions,
                s -> new NotificationLane(s, sender, producer, metrics, workers, config));
    }
}
