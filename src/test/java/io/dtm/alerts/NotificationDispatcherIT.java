package io.dtm.alerts;

import static io.dtm.alerts.Deliveries.firing;
import static io.dtm.alerts.Deliveries.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.dtm.events.AlertTransition;
import io.dtm.metrics.NotificationMetrics;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one delivery path against the real broker: many subscriptions cost one consumer in one group and a bounded
 * pool, not a thread or a group each; a receiver that answers slowly delays only its own notifications, which
 * still arrive in order; a full lane is parked and fed again by a replay, losing nothing, while a receiver that
 * is down holds back no other subscription; the group's offset stays at or before what a parked lane has still to
 * read, across a restart too; a subscription gets the transitions of its creation time and after, and no older
 * ones, even when it shows in the table late or the service stops during its replay.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class NotificationDispatcherIT {

    private static final int SUBSCRIPTIONS = 40;
    private static final int WORKERS = 2;
    private static final String SECRET = "dispatcher-test-secret-0123";

    @Inject
    Vertx vertx;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NotificationMetrics metrics = new NotificationMetrics(registry);
    private final AtomicInteger workerThreads = new AtomicInteger();
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread t = new Thread(r, "test-notify-worker-" + workerThreads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final List<HttpServer> servers = new ArrayList<>();
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;
    private String topic;
    private String group;

    @BeforeEach
    void createTopic() throws Exception {
        topic = "test.alerts." + UUID.randomUUID();
        group = "test-notifier-" + topic;
        Deliveries.createTopic(topic, 2);
        admin = Admin.create(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()));
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        producer.close();
        admin.close();
        workers.shutdownNow();
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void shouldServeManySubscriptionsWithOneConsumerWhileASlowReceiverDelaysOnlyItsOwn() throws Exception {
        List<String> slowKeys = new CopyOnWriteArrayList<>();
        String slowUrl = slowReceiver(1500, slowKeys);
        int threadsBefore = Thread.getAllStackTraces().size();
        try (WebhookReceiver fast = new WebhookReceiver()) {
            long created = System.currentTimeMillis() - 1000;
            List<Subscription> subscriptions = new ArrayList<>();
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                subscriptions.add(webhook("fast-" + i, fast.url() + "/hook/" + i, created));
            }
            subscriptions.add(webhook("slow", slowUrl, created));
            NotificationDispatcher dispatcher = dispatcher(() -> subscriptions, NotificationLane.CAPACITY).start();
            try {
                List<AlertTransition> sent = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    AlertTransition t = firing("t-" + i);
                    sent.add(t);
                    publish(producer, topic, t);
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
                    assertEquals(sent.stream().map(t -> Notifications.idempotencyKey(t, "fast-" + n)).toList(),
                            fast.requests().stream().filter(r -> r.path().equals("/hook/" + n))
                                    .map(r -> r.header(Notifications.IDEMPOTENCY_HEADER)).toList(), "in order");
                }
                var members = admin.describeConsumerGroups(List.of(group)).all().get().get(group).members();
                assertEquals(1, members.size(), "one consumer for every subscription: " + members);
                // the group's position waits for the slow one's last delivery
                TopicPartition tp = partitionOf(sent.get(0));
                assertTrue(committed(tp) < 3, "committed before the slow receiver had all three: " + committed(tp));

                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> slowKeys.size() == 3);
                assertEquals(sent.stream().map(t -> Notifications.idempotencyKey(t, "slow")).toList(), slowKeys,
                        "in order");
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> committed(tp) == 3);
                assertEquals(List.of(group), admin.listConsumerGroups().all().get().stream()
                        .map(g -> g.groupId()).filter(g -> g.contains(topic)).toList(), "no group of its own");
            } finally {
                dispatcher.stop();
            }
        }
    }

    @Test
    void shouldParkAFullLaneAndReplayItLosingNothing() throws Exception {
        List<String> slowKeys = new CopyOnWriteArrayList<>();
        String slowUrl = slowReceiver(150, slowKeys);
        try (WebhookReceiver fast = new WebhookReceiver()) {
            long created = System.currentTimeMillis() - 1000;
            List<Subscription> subscriptions = List.of(webhook("fast", fast.url() + "/hook", created),
                    webhook("slow", slowUrl, created));
            NotificationDispatcher dispatcher = dispatcher(() -> subscriptions, 2).start();
            try {
                List<AlertTransition> sent = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    AlertTransition t = firing("p-" + i);
                    sent.add(t);
                    publish(producer, topic, t);
                }
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> slowKeys.size() == 12);
                assertEquals(sent.stream().map(t -> Notifications.idempotencyKey(t, "slow")).toList(), slowKeys);
                fast.await(r -> true, 12, Duration.ofSeconds(10));
                assertEquals(sent.stream().map(t -> Notifications.idempotencyKey(t, "fast")).toList(),
                        fast.requests().stream().map(r -> r.header(Notifications.IDEMPOTENCY_HEADER)).toList(),
                        "every one, once, in order");
            } finally {
                dispatcher.stop();
            }
        }
    }

    @Test
    void shouldHandOverARecordThatIsNotATransitionAndGoOn() throws Exception {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> unreadable =
                new CopyOnWriteArrayList<>();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            List<Subscription> subscriptions = List.of(webhook("after-poison", receiver.url() + "/hook",
                    System.currentTimeMillis() - 1000));
            NotificationDispatcher dispatcher = Deliveries.dispatcher(vertx, topic, group, () -> subscriptions,
                    producer, metrics, workers, DeliverySettings.quick(2, Duration.ofSeconds(5), WORKERS),
                    NotificationLane.CAPACITY, (record, why) -> unreadable.add(record)).start();
            try {
                AlertTransition good = firing("good");
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, good.key(),
                        "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get();
                publish(producer, topic, good);
                receiver.await(r -> true, 1, Duration.ofSeconds(30));
                assertEquals(List.of(Notifications.idempotencyKey(good, "after-poison")), receiver.requests().stream()
                        .map(r -> r.header(Notifications.IDEMPOTENCY_HEADER)).toList());
                assertEquals(1, unreadable.size(), "the record that is not a transition handed over once");
                assertEquals("not json", new String(unreadable.get(0).value(),
                        java.nio.charset.StandardCharsets.UTF_8));
            } finally {
                dispatcher.stop();
            }
        }
    }

    @Test
    void shouldNotSendASubscriptionTheTransitionsFromBeforeItWasCreated() throws Exception {
        try (WebhookReceiver older = new WebhookReceiver(); WebhookReceiver later = new WebhookReceiver()) {
            List<Subscription> subscriptions = new CopyOnWriteArrayList<>(List.of(
                    webhook("older", older.url() + "/hook", System.currentTimeMillis() - 1000)));
            NotificationDispatcher dispatcher = dispatcher(() -> subscriptions, NotificationLane.CAPACITY).start();
            try {
                AlertTransition before = firing("before");
                publish(producer, topic, before);
                older.await(r -> true, 1, Duration.ofSeconds(30));
                Thread.sleep(20); // a later millisecond
                subscriptions.add(webhook("later", later.url() + "/hook", System.currentTimeMillis()));
                AlertTransition after = firing("after");
                publish(producer, topic, after);
                later.await(r -> true, 1, Duration.ofSeconds(30));
                older.await(r -> true, 2, Duration.ofSeconds(10));
                Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                        assertEquals(List.of(Notifications.idempotencyKey(after, "later")), later.requests().stream()
                                .map(r -> r.header(Notifications.IDEMPOTENCY_HEADER)).toList()));
            } finally {
                dispatcher.stop();
            }
        }
    }

    @Test
    void shouldReplayForASubscriptionThatShowsUpAfterTransitionsOfItsCreationTime() throws Exception {
        try (WebhookReceiver other = new WebhookReceiver(); WebhookReceiver late = new WebhookReceiver()) {
            List<Subscription> subscriptions = new CopyOnWriteArrayList<>(List.of(
                    webhook("other", other.url() + "/hook", System.currentTimeMillis() - 1000)));
            NotificationDispatcher dispatcher = dispatcher(() -> subscriptions, NotificationLane.CAPACITY).start();
            try {
                AlertTransition before = firing("before-creation");
                publish(producer, topic, before);
                other.await(r -> true, 1, Duration.ofSeconds(30));
                Thread.sleep(20);
                long created = System.currentTimeMillis();
                List<AlertTransition> since = List.of(firing("since-1"), firing("since-2"));
                for (AlertTransition t : since) {
                    publish(producer, topic, t);
                }
                other.await(r -> true, 3, Duration.ofSeconds(30)); // handled before the table showed "late"
                subscriptions.add(webhook("late", late.url() + "/hook", created));

                late.await(r -> true, 2, Duration.ofSeconds(30));
                Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
                    assertEquals(since.stream().map(t -> Notifications.idempotencyKey(t, "late")).toList(),
                            late.requests().stream().map(r -> r.header(Notifications.IDEMPOTENCY_HEADER)).toList(),
                            "those of its creation time and after, in order");
                    assertEquals(3, other.requests().size(), "the replay is for the late one alone");
                });
            } finally {
                dispatcher.stop();
            }
        }
    }

    @Test
    void shouldNotLetAReceiverThatIsDownDelayTheOthersAndSendItEverythingOnceBack() throws Exception {
        int n = 10;
        try (WebhookReceiver up = new WebhookReceiver(); WebhookReceiver down = new WebhookReceiver(downFor(1000))) {
            long created = System.currentTimeMillis() - 1000;
            List<Subscription> subscriptions = List.of(webhook("up", up.url() + "/hook", created),
                    webhook("down", down.url() + "/hook", created));
            NotificationDispatcher dispatcher = dispatcher(() -> subscriptions, 2, 50).start();
            try {
                List<AlertTransition> sent = publishAll("d-", n);
                TopicPartition tp = partitionOf(sent.get(0));
                up.await(r -> true, n, Duration.ofSeconds(30));
                assertEquals(keys(sent, "up"), keysOf(up), "every one, in order, while the other is down");
                assertTrue(down.requests().stream().allMatch(r -> r.answered() == 503), "still down");
                // two queued for the down one, parked from the third: the group's offset waits for it
                Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                        .untilAsserted(() -> assertTrue(committed(tp) <= 2, "committed " + committed(tp)));

                down.clearQueuedStatuses();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> delivered(down).size() >= n);
                assertEquals(keys(sent, "down"), delivered(down), "every one, once, in order, once back");
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> committed(tp) == n);
                assertEquals(keys(sent, "up"), keysOf(up), "nothing twice to the other");
            } finally {
                dispatcher.stop();
            }
        }
    }

    @Test
    void shouldSendAParkedLaneEverythingAfterARestart() throws Exception {
        int n = 8;
        try (WebhookReceiver up = new WebhookReceiver(); WebhookReceiver down = new WebhookReceiver(downFor(1000))) {
            long created = System.currentTimeMillis() - 1000;
            List<Subscription> subscriptions = List.of(webhook("up", up.url() + "/hook", created),
                    webhook("down", down.url() + "/hook", created));
            NotificationDispatcher first = dispatcher(() -> subscriptions, 2, 50).start();
            List<AlertTransition> sent;
            TopicPartition tp;
            try {
                sent = publishAll("r-", n);
                tp = partitionOf(sent.get(0));
                up.await(r -> true, n, Duration.ofSeconds(30));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> committed(tp) >= 0);
            } finally {
                first.stop();
            }
            int resumeAt = (int) committed(tp);
            assertTrue(resumeAt <= 2, "committed past the parked lane: " + resumeAt);
            comeBack(down);

            NotificationDispatcher second = dispatcher(() -> subscriptions, 2, 50).start();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> delivered(down).size() >= n);
                assertEquals(keys(sent, "down"), delivered(down), "every one, in order, after the restart");
                up.await(r -> true, 2 * n - resumeAt, Duration.ofSeconds(30));
                assertEquals(keys(sent, "up").subList(resumeAt, n), keysOf(up).subList(n, keysOf(up).size()),
                        "sent again from the committed offset");
            } finally {
                second.stop();
            }
        }
    }

    @Test
    void shouldSendALateSubscriptionItsTransitionsWhenTheServiceStopsDuringItsReplay() throws Exception {
        try (WebhookReceiver other = new WebhookReceiver();
                WebhookReceiver late = new WebhookReceiver(downFor(1000))) {
            List<Subscription> subscriptions = new CopyOnWriteArrayList<>(List.of(
                    webhook("other", other.url() + "/hook", System.currentTimeMillis() - 1000)));
            NotificationDispatcher first = dispatcher(() -> subscriptions, NotificationLane.CAPACITY, 50).start();
            List<AlertTransition> since;
            TopicPartition tp;
            try {
                publish(producer, topic, firing("before-creation"));
                other.await(r -> true, 1, Duration.ofSeconds(30));
                Thread.sleep(20);
                long created = System.currentTimeMillis();
                since = publishAll("since-", 2);
                tp = partitionOf(since.get(0));
                other.await(r -> true, 3, Duration.ofSeconds(30));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> committed(tp) == 3);
                subscriptions.add(webhook("late", late.url() + "/hook", created));
                late.await(r -> true, 1, Duration.ofSeconds(30)); // its replay has begun, its receiver is down
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> committed(tp) == 1);
            } finally {
                first.stop();
            }
            assertEquals(1, committed(tp), "the group's offset went back to the late one's first transition");
            comeBack(late);

            NotificationDispatcher second = dispatcher(() -> subscriptions, NotificationLane.CAPACITY, 50).start();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> delivered(late).size() >= 2);
                Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                        assertEquals(keys(since, "late"), delivered(late), "its transitions, in order, no older"));
            } finally {
                second.stop();
            }
        }
    }

    /** Lets a stopped dispatcher's last attempt reach the receiver while down, then brings it back. */
    private static void comeBack(WebhookReceiver receiver) {
        AtomicInteger seen = new AtomicInteger(-1);
        Awaitility.await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> seen.getAndSet(receiver.requests().size()) == receiver.requests().size());
        receiver.clearQueuedStatuses();
    }

    /** Answers 503 to the next {@code count} requests. */
    private static int[] downFor(int count) {
        int[] statuses = new int[count];
        java.util.Arrays.fill(statuses, 503);
        return statuses;
    }

    private List<AlertTransition> publishAll(String prefix, int count) throws Exception {
        List<AlertTransition> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AlertTransition t = firing(prefix + i);
            sent.add(t);
            publish(producer, topic, t);
        }
        return sent;
    }

    private static List<String> keys(List<AlertTransition> sent, String subscription) {
        return sent.stream().map(t -> Notifications.idempotencyKey(t, subscription)).toList();
    }

    private static List<String> keysOf(WebhookReceiver receiver) {
        return receiver.requests().stream().map(r -> r.header(Notifications.IDEMPOTENCY_HEADER)).toList();
    }

    /** The keys a receiver accepted, in order. */
    private static List<String> delivered(WebhookReceiver receiver) {
        return receiver.requests().stream().filter(r -> r.answered() == 200)
                .map(r -> r.header(Notifications.IDEMPOTENCY_HEADER)).toList();
    }

    private static Subscription webhook(String id, String url, long created) {
        return new Subscription(id, "webhook", url, List.of(), Map.of(), SECRET, created);
    }

    /** A receiver that answers 200 after {@code millis}, noting the idempotency keys in order. */
    private String slowReceiver(long millis, List<String> keys) throws Exception {
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        slow.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            keys.add(exchange.getRequestHeaders().getFirst(Notifications.IDEMPOTENCY_HEADER));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        slow.start();
        servers.add(slow);
        return "http://127.0.0.1:" + slow.getAddress().getPort() + "/hook";
    }

    private TopicPartition partitionOf(AlertTransition t) throws Exception {
        int partitions = producer.partitionsFor(topic).size();
        int partition = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                t.key().getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
        return new TopicPartition(topic, partition);
    }

    private long committed(TopicPartition tp) throws Exception {
        var o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
        return o == null ? -1 : o.offset();
    }

    private NotificationDispatcher dispatcher(java.util.function.Supplier<List<Subscription>> subscriptions,
            int capacity) {
        return dispatcher(subscriptions, capacity, 2);
    }

    private NotificationDispatcher dispatcher(java.util.function.Supplier<List<Subscription>> subscriptions,
            int capacity, int retries) {
        return Deliveries.dispatcher(vertx, topic, group, subscriptions, producer, metrics, workers,
                DeliverySettings.quick(retries, Duration.ofSeconds(5), WORKERS), capacity);
    }
}
