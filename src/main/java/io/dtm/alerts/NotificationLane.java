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
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * The deliveries of one subscription, queued by the {@link NotificationDispatcher}: a bounded queue sent one at a
 * time in order, each retried with exponential backoff and jitter (SmallRye Fault Tolerance, asynchronous: a wait
 * holds no thread) and dead-lettered to {@code dtm.notifications.dlq.v1} after the last retry. It has no thread of
 * its own: attempts run on the shared bounded worker pool and the HTTP exchange is asynchronous, so a slow receiver
 * delays only its own lane. Each attempt looks the subscription up again: one deleted (or deleted and created
 * again) meanwhile gets nothing more, one changed gets the notification at its new target.
 */
final class NotificationLane {

    private static final Logger LOG = Logger.getLogger(NotificationLane.class);

    /** Notifications queued per subscription at most; the dispatcher parks a full lane (see there). */
    static final int CAPACITY = 64;

    /**
     * One notification to send.
     *
     * @param subscription the subscription as it was when the transition was read
     * @param stale        whether it is no longer this instance's to send (its partition was revoked)
     * @param done         called once it is delivered, dead-lettered or dropped (not when the lane stops first)
     */
    record Delivery(AlertTransition transition, Subscription subscription, BooleanSupplier stale, Runnable done) {
    }

    /** Attempts end when the lane stops; this aborts the retries. */
    private static final class Stopped extends Exception {
        Stopped() {
            super("lane stopped", null, false, false);
        }
    }

    /** The subscription was deleted since the transition was read; this aborts the retries. */
    private static final class Gone extends Exception {
        Gone() {
            super("subscription deleted", null, false, false);
        }
    }

    private enum Outcome { DELIVERED, DEAD_LETTERED, DROPPED, STOPPED }

    private final String id;
    private final Function<String, Optional<Subscription>> current;
    private final NotificationSender sender;
    private final Producer<String, byte[]> deadLetters;
    private final NotificationMetrics metrics;
    private final Executor workers;
    private final int capacity;
    private final TypedGuard<CompletionStage<Void>> retry;
    private final Deque<Delivery> queue = new ArrayDeque<>();
    private volatile String channel = "webhook";
    private boolean busy;
    private volatile boolean running = true;

    /**
     * @param current the subscription now, by id (looked up before every attempt)
     */
    NotificationLane(String id, Function<String, Optional<Subscription>> current, NotificationSender sender,
            Producer<String, byte[]> deadLetters, NotificationMetrics metrics, Executor workers,
            AlertsConfig.DeliveryConfig config, int capacity) {
        this.id = id;
        this.current = current;
        this.sender = sender;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.workers = workers;
        this.capacity = capacity;
        long perAttempt = config.timeout().toMillis() * 2 + config.maxBackoff().toMillis()
                + config.jitter().toMillis();
        this.retry = TypedGuard.create(new TypeLiteral<CompletionStage<Void>>() { })
                .withRetry()
                .maxRetries(config.maxRetries())
                .delay(config.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(config.jitter().toMillis(), ChronoUnit.MILLIS)
                .maxDuration((config.maxRetries() + 1L) * perAttempt, ChronoUnit.MILLIS)
                .abortOn(List.of(NotificationSender.Refused.class, Stopped.class, Gone.class))
                .beforeRetry(failure -> metrics.count(channel, "failed"))
                .withExponentialBackoff().factor(2).maxDelay(config.maxBackoff().toMillis(), ChronoUnit.MILLIS).done()
                .done()
                .withThreadOffload(true)
                .withThreadOffloadExecutor(workers) // name resolution and signing: on the bounded pool
                .build();
    }

    /** Whether one more notification fits. */
    synchronized boolean hasRoom() {
        return queue.size() < capacity;
    }

    /** Whether the lane has drained enough (to half its capacity) for the dispatcher to feed it again. */
    synchronized boolean canResume() {
        return queue.size() <= capacity / 2;
    }

    /** Notifications queued or in flight. */
    synchronized int queued() {
        return queue.size();
    }

    /** Queues a notification (the caller checked {@link #hasRoom()}). */
    void offer(Delivery delivery) {
        synchronized (this) {
            queue.addLast(delivery);
        }
        pump();
    }

    /** Stops the lane: nothing more is sent; a notification in flight ends at its next attempt, not done. */
    void stop() {
        running = false;
    }

    /** Sends the head of the queue unless one is in flight. */
    private void pump() {
        Delivery head;
        synchronized (this) {
            if (busy || !running || queue.isEmpty()) {
                return;
            }
            busy = true;
            head = queue.peekFirst();
        }
        CompletionStage<Outcome> outcome;
        try {
            outcome = deliver(head);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((o, failure) -> {
            if (failure != null) {
                LOG.errorf(failure, "notification of subscription %s: unexpected failure", id);
            }
            synchronized (this) {
                busy = false;
                queue.pollFirst();
            }
            if (o != Outcome.STOPPED && failure == null) {
                head.done().run();
            }
            pump();
        });
    }

    /** Delivers one notification with its retries, or dead-letters it. */
    private CompletionStage<Outcome> deliver(Delivery d) {
        if (d.stale().getAsBoolean()) {
            return CompletableFuture.completedFuture(Outcome.DROPPED);
        }
        AlertTransition t = d.transition();
        String key = Notifications.idempotencyKey(t, id);
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Subscription> used = new AtomicReference<>(d.subscription());
        return retry.get(() -> {
            if (!running) {
                return CompletableFuture.failedFuture(new Stopped());
            }
            try {
                Optional<Subscription> now = current.apply(id);
                if (now.isEmpty() || !Objects.equals(now.get().createdAt(), d.subscription().createdAt())) {
                    return CompletableFuture.failedFuture(new Gone());
                }
                used.set(now.get());
                channel = now.get().channel();
                attempts.incrementAndGet();
                return sender.send(now.get(), t, key);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }).handle((ok, failure) -> failure).thenCompose(failure -> {
            Subscription s = used.get();
            if (failure == null) {
                metrics.count(s.channel(), "delivered");
                return CompletableFuture.completedFuture(Outcome.DELIVERED);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (!running || cause instanceof Stopped) {
                return CompletableFuture.completedFuture(Outcome.STOPPED);
            }
            if (cause instanceof Gone) {
                return CompletableFuture.completedFuture(Outcome.DROPPED);
            }
            return deadLetter(s, t, key, attempts.get(), cause);
        });
    }

    /** The dead letter of a notification given up: key, subscription, redacted target, attempts, error, transition. */
    static ProducerRecord<String, byte[]> deadLetterRecord(Subscription s, AlertTransition t, String key,
            int attempts, String error) throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("idempotencyKey", key);
        value.put("subscription", s.id());
        value.put("channel", s.channel());
        value.put("target", "kafka".equals(s.channel()) ? s.target() : UrlRedaction.redact(s.target()));
        value.put("attempts", attempts);
        value.put("error", error);
        value.put("failedAt", Instant.now().toString());
        value.put("transition", t);
        Headers headers = DeadLetters.headers(null, "delivery-failed", error, Topics.ALERTS.name());
        headers.add(Notifications.IDEMPOTENCY_HEADER, key.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.NOTIFICATIONS_DLQ.name(), null, key,
                JsonSerde.MAPPER.writeValueAsBytes(value), headers);
    }

    private CompletionStage<Outcome> deadLetter(Subscription s, AlertTransition t, String key, int attempts,
            Throwable failure) {
        String error = UrlRedaction.redactIn(failure.getMessage() == null ? failure.getClass().getSimpleName()
                : failure.getMessage());
        ProducerRecord<String, byte[]> record;
        try {
            record = deadLetterRecord(s, t, key, attempts, error);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Outcome> written = new CompletableFuture<>();
        write(record, written);
        return written.thenApply(outcome -> {
            if (outcome == Outcome.DEAD_LETTERED) {
                metrics.count(s.channel(), "dead-lettered");
                LOG.warnf("notification %s of subscription %s dead-lettered after %d attempt(s): %s", key, id,
                        attempts, error);
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
