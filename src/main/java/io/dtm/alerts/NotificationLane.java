package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import io.dtm.metrics.NotificationMetrics;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Topics;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.util.TypeLiteral;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * The deliveries of one subscription, fed by the {@link NotificationDispatcher}: a bounded queue of the firing and
 * resolved transitions it wants, sent one at a time in order, retried with exponential backoff and jitter
 * (SmallRye Fault Tolerance, asynchronous: a wait holds no thread), and dead-lettered to
 * {@code dtm.notifications.dlq.v1} after the last retry. It has no thread of its own: each attempt runs on the
 * shared bounded worker pool and the HTTP exchange is asynchronous, so a slow receiver delays only its own lane.
 * Per partition it keeps the next offset to consider and the position to commit: the offset after the last
 * record delivered, dead-lettered or not wanted, with nothing earlier still pending.
 */
final class NotificationLane {

    private static final Logger LOG = Logger.getLogger(NotificationLane.class);

    /** Notifications queued per subscription at most; a lane that is full is fed again from Kafka later. */
    static final int CAPACITY = 64;

    /** A notification to send: the record it comes from and the epoch of its partition's state. */
    private record Item(TopicPartition tp, long offset, long epoch, AlertTransition transition) {
    }

    /** A lane's attempts end when it is stopped; this aborts the retries. */
    private static final class Stopped extends Exception {
        Stopped() {
            super("lane stopped", null, false, false);
        }
    }

    private enum Outcome { DELIVERED, DEAD_LETTERED, STOPPED }

    private final Subscription subscription;
    private final NotificationSender sender;
    private final Producer<String, byte[]> deadLetters;
    private final NotificationMetrics metrics;
    private final Executor workers;
    private final TypedGuard<CompletionStage<Void>> retry;
    private final Deque<Item> queue = new ArrayDeque<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> done = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, Integer> pending = new HashMap<>();
    private final Map<TopicPartition, Long> epochs = new HashMap<>();
    private long epoch;
    private boolean busy;
    private volatile boolean running = true;

    NotificationLane(Subscription subscription, NotificationSender sender, Producer<String, byte[]> deadLetters,
            NotificationMetrics metrics, Executor workers, AlertsConfig.DeliveryConfig config) {
        this.subscription = subscription;
        this.sender = sender;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.workers = workers;
        long perAttempt = config.timeout().toMillis() * 2 + config.maxBackoff().toMillis()
                + config.jitter().toMillis();
        String channel = subscription.channel();
        this.retry = TypedGuard.create(new TypeLiteral<CompletionStage<Void>>() { })
                .withRetry()
                .maxRetries(config.maxRetries())
                .delay(config.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(config.jitter().toMillis(), ChronoUnit.MILLIS)
                .maxDuration((config.maxRetries() + 1L) * perAttempt, ChronoUnit.MILLIS)
                .abortOn(java.util.List.of(NotificationSender.Refused.class, Stopped.class))
                .beforeRetry(failure -> metrics.count(channel, "failed"))
                .withExponentialBackoff().factor(2).maxDelay(config.maxBackoff().toMillis(), ChronoUnit.MILLIS).done()
                .done()
                .withThreadOffload(true)
                .withThreadOffloadExecutor(workers) // name resolution and signing: on the bounded pool
                .build();
    }

    /** The consumer group that keeps a subscription's positions: new for every creation, so a re-created one starts afresh. */
    static String groupId(Subscription s) {
        return "dtm-notify-" + s.id() + "-" + (s.createdAt() == null ? 0 : s.createdAt());
    }

    Subscription subscription() {
        return subscription;
    }

    /** Starts (or starts again) reading {@code tp} at {@code position}; {@code committed} when it is the stored one. */
    synchronized void start(TopicPartition tp, long position, boolean alreadyCommitted) {
        release(tp);
        next.put(tp, position);
        done.put(tp, position);
        pending.put(tp, 0);
        epochs.put(tp, ++epoch);
        if (alreadyCommitted) {
            committed.put(tp, position);
        }
    }

    /** Forgets the partitions (revoked): their queued notifications are dropped, the one in flight is not. */
    synchronized void release(Collection<TopicPartition> tps) {
        tps.forEach(this::release);
    }

    private void release(TopicPartition tp) {
        Item inFlight = busy ? queue.peekFirst() : null;
        queue.removeIf(i -> i.tp().equals(tp) && i != inFlight);
        next.remove(tp);
        done.remove(tp);
        committed.remove(tp);
        pending.remove(tp);
        epochs.remove(tp);
    }

    /** The next offset of {@code tp} this lane has to consider, or null when it does not read it. */
    synchronized Long next(TopicPartition tp) {
        return next.get(tp);
    }

    /** Whether the lane has room enough to be fed again from an earlier offset (half its queue is free). */
    synchronized boolean canCatchUp() {
        return queue.size() <= CAPACITY / 2;
    }

    /**
     * Considers the record at {@code offset} of {@code tp} ({@code t} null when it is no notification): queued
     * when wanted and there is room, passed when not wanted; left for later when the queue is full.
     */
    void consider(TopicPartition tp, long offset, AlertTransition t) {
        synchronized (this) {
            Long n = next.get(tp);
            if (n == null || offset < n || !running) {
                return;
            }
            if (t == null || !subscription.wants(t.severity(), Notifications.labels(t))) {
                next.put(tp, offset + 1);
                if (pending.get(tp) == 0) {
                    done.put(tp, offset + 1);
                }
                return;
            }
            if (queue.size() >= CAPACITY) {
                return; // behind: the dispatcher reads this offset again once the lane has room
            }
            queue.addLast(new Item(tp, offset, epochs.get(tp), t));
            pending.merge(tp, 1, Integer::sum);
            next.put(tp, offset + 1);
        }
        pump();
    }

    /** The positions that changed since they were last committed. */
    synchronized Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Map<TopicPartition, OffsetAndMetadata> changed = new HashMap<>();
        done.forEach((tp, position) -> {
            if (!position.equals(committed.get(tp))) {
                changed.put(tp, new OffsetAndMetadata(position));
            }
        });
        return changed;
    }

    /** Records that {@code positions} were committed. */
    synchronized void committed(Map<TopicPartition, OffsetAndMetadata> positions) {
        positions.forEach((tp, o) -> {
            if (done.containsKey(tp)) {
                committed.put(tp, o.offset());
            }
        });
    }

    /** Queued notifications (for tests and the dispatcher). */
    synchronized int queued() {
        return queue.size();
    }

    /** Stops the lane: nothing more is sent; a notification in flight ends at its next attempt, uncommitted. */
    void stop() {
        running = false;
    }

    /** Sends the head of the queue unless one is in flight. */
    private void pump() {
        Item item;
        synchronized (this) {
            if (busy || !running || queue.isEmpty()) {
                return;
            }
            busy = true;
            item = queue.peekFirst();
        }
        CompletionStage<Outcome> outcome;
        try {
            outcome = deliver(item);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((o, failure) -> {
            if (failure != null) {
                LOG.errorf(failure, "notification of subscription %s: unexpected failure", subscription.id());
            }
            finished(item, o == Outcome.DELIVERED || o == Outcome.DEAD_LETTERED);
        });
    }

    private void finished(Item item, boolean advance) {
        synchronized (this) {
            busy = false;
            if (queue.peekFirst() == item) {
                queue.pollFirst();
            }
            if (advance && Long.valueOf(item.epoch()).equals(epochs.get(item.tp()))) {
                int left = pending.merge(item.tp(), -1, Integer::sum);
                long position = left == 0 ? next.get(item.tp()) : item.offset() + 1;
                done.merge(item.tp(), position, Math::max);
            }
        }
        pump();
    }

    /** Delivers one notification with its retries, or dead-letters it; STOPPED when the lane stopped meanwhile. */
    private CompletionStage<Outcome> deliver(Item item) {
        AlertTransition t = item.transition();
        String key = Notifications.idempotencyKey(t, subscription.id());
        AtomicInteger attempts = new AtomicInteger();
        return retry.get(() -> {
            if (!running) {
                return CompletableFuture.failedFuture(new Stopped());
            }
            attempts.incrementAndGet();
            try {
                return sender.send(subscription, t, key);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }).handle((ok, failure) -> failure).thenCompose(failure -> {
            if (failure == null) {
                metrics.count(subscription.channel(), "delivered");
                return CompletableFuture.completedFuture(Outcome.DELIVERED);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (!running || cause instanceof Stopped) {
                return CompletableFuture.completedFuture(Outcome.STOPPED);
            }
            return deadLetter(t, key, attempts.get(), cause);
        });
    }

    private CompletionStage<Outcome> deadLetter(AlertTransition t, String key, int attempts, Throwable failure) {
        String error = UrlRedaction.redactIn(failure.getMessage() == null ? failure.getClass().getSimpleName()
                : failure.getMessage());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("idempotencyKey", key);
        value.put("subscription", subscription.id());
        value.put("channel", subscription.channel());
        value.put("target", "kafka".equals(subscription.channel()) ? subscription.target()
                : UrlRedaction.redact(subscription.target()));
        value.put("attempts", attempts);
        value.put("error", error);
        value.put("failedAt", Instant.now().toString());
        value.put("transition", t);
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetters.REASON_HEADER, "delivery-failed".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.DETAIL_HEADER, error.getBytes(StandardCharsets.UTF_8));
        headers.add(Notifications.IDEMPOTENCY_HEADER, key.getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> record;
        try {
            record = new ProducerRecord<>(Topics.NOTIFICATIONS_DLQ.name(), null, key,
                    JsonSerde.MAPPER.writeValueAsBytes(value), headers);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Outcome> written = new CompletableFuture<>();
        write(record, written);
        return written.thenApply(outcome -> {
            if (outcome == Outcome.DEAD_LETTERED) {
                metrics.count(subscription.channel(), "dead-lettered");
                LOG.warnf("notification %s of subscription %s dead-lettered after %d attempt(s): %s", key,
                        subscription.id(), attempts, error);
            }
            return outcome;
        });
    }

    /** Writes a dead letter, again every second while Kafka refuses it (the notification stays first meanwhile). */
    private void write(ProducerRecord<String, byte[]> record, CompletableFuture<Outcome> written) {
        if (!running) {
            written.complete(Outcome.STOPPED);
            return;
        }
        try {
            deadLetters.send(record, (metadata, e) -> {
                if (e == null) {
                    written.complete(Outcome.DEAD_LETTERED);
                } else {
                    LOG.warnf("cannot write to %s (%s); trying again", Topics.NOTIFICATIONS_DLQ.name(),
                            e.getMessage());
                    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, workers)
                            .execute(() -> write(record, written));
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("cannot write to %s (%s); trying again", Topics.NOTIFICATIONS_DLQ.name(), e.getMessage());
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, workers).execute(() -> write(record, written));
        }
    }
}
