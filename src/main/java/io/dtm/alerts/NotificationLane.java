package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import io.dtm.metrics.NotificationMetrics;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Topics;
import io.smallrye.faulttolerance.api.TypedGuard;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The deliveries of one subscription: a consumer of {@code dtm.alerts.v1} in a group of its own that sends each
 * firing and resolved transition the subscription wants, in order, retrying with exponential backoff and jitter,
 * and dead-letters it to {@code dtm.notifications.dlq.v1} after the last retry. The offset is committed only
 * once a notification is delivered or dead-lettered, so a restart resumes with the one in flight (the only
 * repeat, with the same idempotency key). A new subscription starts with the transitions of its creation time.
 * Runs on a thread of its own: a slow receiver delays only its own subscription.
 */
final class NotificationLane implements Runnable {

    private static final Logger LOG = Logger.getLogger(NotificationLane.class);

    private final Subscription subscription;
    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final NotificationSender sender;
    private final Producer<String, byte[]> deadLetters;
    private final NotificationMetrics metrics;
    private final TypedGuard<Void> retry;
    private volatile boolean running = true;
    private volatile Consumer<String, byte[]> consumer;
    private volatile Thread thread;

    NotificationLane(Subscription subscription, KafkaConnection kafka, String topic, NotificationSender sender,
            Producer<String, byte[]> deadLetters, NotificationMetrics metrics, AlertsConfig.DeliveryConfig config) {
        this.subscription = subscription;
        this.topic = topic;
        this.sender = sender;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        long perAttempt = config.timeout().toMillis() + config.maxBackoff().toMillis() + config.jitter().toMillis();
        long budget = (config.maxRetries() + 1L) * perAttempt;
        this.consumerConfig = kafka.with(
                ConsumerConfig.GROUP_ID_CONFIG, groupId(subscription),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20,
                // a notification may take every retry; the group must not drop this member meanwhile
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, budget + 60_000));
        String channel = subscription.channel();
        this.retry = TypedGuard.create(Void.class)
                .withRetry()
                .maxRetries(config.maxRetries())
                .delay(config.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(config.jitter().toMillis(), ChronoUnit.MILLIS)
                .maxDuration(budget, ChronoUnit.MILLIS)
                .abortOn(NotificationSender.Refused.class)
                .beforeRetry(failure -> metrics.count(channel, "failed"))
                .withExponentialBackoff().factor(2).maxDelay(config.maxBackoff().toMillis(), ChronoUnit.MILLIS).done()
                .done()
                .build();
    }

    /** The consumer group of a subscription: new for every creation, so a re-created one starts afresh. */
    static String groupId(Subscription s) {
        return "dtm-notify-" + s.id() + "-" + (s.createdAt() == null ? 0 : s.createdAt());
    }

    Subscription subscription() {
        return subscription;
    }

    /** Starts the lane on a thread of its own. */
    NotificationLane start() {
        thread = new Thread(this, "dtm-notify-" + subscription.id());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Stops the lane; a notification in flight is not committed and is sent again by the next lane. */
    void stop() throws InterruptedException {
        running = false;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            t.join(TimeUnit.SECONDS.toMillis(2));
            if (t.isAlive()) { // waiting between two attempts
                t.interrupt();
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    @Override
    public void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                c.subscribe(List.of(topic), new StartAtCreation(c));
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (!handle(r)) {
                            return;
                        }
                        c.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()),
                                new OffsetAndMetadata(r.offset() + 1)));
                    }
                }
            } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("notifications of subscription %s: %s; resuming from the last delivered one",
                        subscription.id(), e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Delivers or dead-letters one record; false when the lane is stopping (the record stays uncommitted). */
    private boolean handle(ConsumerRecord<String, byte[]> r) {
        AlertTransition t;
        try {
            t = JsonSerde.MAPPER.readValue(r.value(), AlertTransition.class);
        } catch (Exception e) {
            LOG.warnf("unreadable record at %s-%d@%d skipped: %s", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return true;
        }
        if (t == null || !(t.status().equals("firing") || t.status().equals("resolved"))
                || !subscription.wants(t.severity(), Notifications.labels(t))) {
            return true;
        }
        String key = Notifications.idempotencyKey(t, subscription.id());
        AtomicInteger attempts = new AtomicInteger();
        try {
            retry.call(() -> {
                attempts.incrementAndGet();
                sender.send(subscription, t, key);
                return null;
            });
            metrics.count(subscription.channel(), "delivered");
            return true;
        } catch (Exception e) {
            if (!running || Thread.currentThread().isInterrupted() || e instanceof InterruptedException) {
                Thread.interrupted(); // stopping: let the consumer close cleanly
                return false;
            }
            deadLetter(t, key, attempts.get(), e);
            metrics.count(subscription.channel(), "dead-lettered");
            return true;
        }
    }

    private void deadLetter(AlertTransition t, String key, int attempts, Exception failure) {
        String error = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("idempotencyKey", key);
        value.put("subscription", subscription.id());
        value.put("channel", subscription.channel());
        value.put("target", subscription.target());
        value.put("attempts", attempts);
        value.put("error", error);
        value.put("failedAt", Instant.now().toString());
        value.put("transition", t);
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetters.REASON_HEADER, "delivery-failed".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.DETAIL_HEADER, error.getBytes(StandardCharsets.UTF_8));
        headers.add(Notifications.IDEMPOTENCY_HEADER, key.getBytes(StandardCharsets.UTF_8));
        try {
            deadLetters.send(new ProducerRecord<>(Topics.NOTIFICATIONS_DLQ.name(), null, key,
                    JsonSerde.MAPPER.writeValueAsBytes(value), headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // not committed: the lane starts again from this notification
            throw new IllegalStateException("cannot write to " + Topics.NOTIFICATIONS_DLQ.name() + ": "
                    + e.getMessage(), e);
        }
        LOG.warnf("notification %s of subscription %s dead-lettered after %d attempt(s): %s", key,
                subscription.id(), attempts, error);
    }

    /** Partitions without a committed offset start at the subscription's creation time. */
    private final class StartAtCreation implements ConsumerRebalanceListener {

        private final Consumer<String, byte[]> c;

        StartAtCreation(Consumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> committed = c.committed(new HashSet<>(partitions));
            Map<TopicPartition, Long> fresh = new HashMap<>();
            for (TopicPartition tp : partitions) {
                if (committed.get(tp) == null) {
                    fresh.put(tp, subscription.createdAt() == null ? Long.MAX_VALUE : subscription.createdAt());
                }
            }
            if (fresh.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(fresh);
            for (TopicPartition tp : fresh.keySet()) {
                OffsetAndTimestamp o = at.get(tp);
                if (o == null) { // nothing since its creation yet: from the end as of now (not lazily, later)
                    c.seek(tp, c.endOffsets(List.of(tp)).get(tp));
                } else {
                    c.seek(tp, o.offset());
                }
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // offsets are committed record by record
        }
    }
}
