package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import io.dtm.metrics.NotificationMetrics;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Role;
import io.dtm.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.jboss.logging.Logger;

/**
 * Delivers alert notifications outside the stream threads (DESIGN §7): one {@link NotificationDispatcher} (one
 * consumer in the group {@value #GROUP}, one thread) feeding a {@link NotificationLane} per subscription, whose
 * attempts run on a bounded pool of {@code dtm.alerts.delivery.workers} threads, and a periodic re-send of the
 * alerts still firing to the Alertmanager subscriptions (with {@code endsAt} ahead). Runs on instances of the
 * alerts role; registers {@code dtm_notifications_total{channel,outcome}} at 0 there.
 */
@ApplicationScoped
public class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);
    /** The consumer group of the deliveries: its committed offsets are where a restart resumes. */
    static final String GROUP = "dtm-notifier";

    private final SubscriptionStore subscriptions;
    private final AlertQueries alerts;
    private final AlertsConfig config;
    private final DtmConfig dtm;
    private final MeterRegistry registry;
    private final KafkaConnection kafka;
    private final Vertx vertx;
    private NotificationMetrics metrics;
    private KafkaProducer<String, byte[]> producer;
    private HttpClient http;
    private NotificationSender sender;
    private ScheduledExecutorService scheduler;
    private ExecutorService workers;
    private NotificationDispatcher dispatcher;
    private final DeadLetters deadLetters;

    Notifier(SubscriptionStore subscriptions, AlertQueries alerts, AlertsConfig config, DtmConfig dtm,
            MeterRegistry registry, KafkaConnection kafka, Vertx vertx, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.subscriptions = subscriptions;
        this.alerts = alerts;
        this.config = config;
        this.dtm = dtm;
        this.registry = registry;
        this.kafka = kafka;
        this.vertx = vertx;
    }

    /** A record of {@code dtm.alerts.v1} that is not an alert transition: to the dead-letter topic, counted. */
    private void deadLetter(ConsumerRecord<String, byte[]> r, Exception why) {
        deadLetters.send(r.topic(), DeadLetters.Reason.DESERIALIZATION, "not an alert transition at " + r.topic()
                + "-" + r.partition() + "@" + r.offset() + ": " + why.getMessage(),
                r.key() == null ? null : r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), r.value(),
                r.headers());
    }

    /** The HTTP client of deliveries: no redirects (one could lead past the guard), host names verified. */
    static HttpClientOptions httpOptions(AlertsConfig.DeliveryConfig delivery) {
        return new HttpClientOptions().setConnectTimeout((int) delivery.timeout().toMillis()).setVerifyHost(true)
                .setMaxRedirects(0).setKeepAlive(true);
    }

    /** A pool of {@code size} daemon threads named {@code dtm-notify-worker-<n>}. */
    static ExecutorService workers(int size) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "dtm-notify-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void onStart(@Observes StartupEvent event) {
        if (!dtm.runs(Role.ALERTS)) {
            return;
        }
        AlertsConfig.DeliveryConfig delivery = config.delivery();
        metrics = new NotificationMetrics(registry);
        producer = new KafkaProducer<>(kafka.with(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) delivery.timeout().toMillis()),
                new StringSerializer(), new ByteArraySerializer());
        http = vertx.createHttpClient(httpOptions(delivery));
        sender = new NotificationSender(http, vertx.getOrCreateContext(), producer,
                new TargetGuard(config.targetAllowList().orElse(List.of())), delivery.timeout(),
                delivery.externalUrl(), delivery.alertmanagerResend().multipliedBy(4));
        workers = workers(delivery.workers());
        dispatcher = new NotificationDispatcher(Topics.ALERTS.name(), GROUP, kafka, subscriptions::all,
                id -> new NotificationLane(id, subscriptions::get, sender, producer, metrics, workers, delivery,
                        NotificationLane.CAPACITY), this::deadLetter).start();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dtm-notify-resend");
            t.setDaemon(true);
            return t;
        });
        long resend = delivery.alertmanagerResend().toMillis();
        scheduler.scheduleWithFixedDelay(this::resendFiring, resend, resend, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        dispatcher.stop();
        workers.shutdownNow();
        http.close();
        producer.close(Duration.ofSeconds(5));
    }

    /** Pushes the alerts still firing on this instance again to every Alertmanager subscription that wants them. */
    private void resendFiring() {
        List<Subscription> targets;
        List<AlertTransition> firing;
        try {
            targets = subscriptions.all().stream().filter(s -> "alertmanager".equals(s.channel())).toList();
            if (targets.isEmpty()) {
                return;
            }
            firing = alerts.current(List.of(AlertStatus.FIRING), System.currentTimeMillis());
        } catch (InvalidStateStoreException e) {
            return; // not ready: the next round sends them
        }
        for (Subscription s : targets) {
            for (AlertTransition t : firing) {
                if (t.severity() == null || !s.wants(t.severity(), Notifications.labels(t))) {
                    continue;
                }
                try {
                    sender.sendAndWait(s, t, Notifications.idempotencyKey(t, s.id()));
                    metrics.count(s.channel(), "delivered");
                } catch (Exception e) {
                    metrics.count(s.channel(), "failed");
                    LOG.debugf("re-sending %s to %s failed: %s", t.key(), s.id(), e.getMessage());
                }
            }
        }
    }
}
