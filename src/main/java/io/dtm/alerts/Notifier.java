package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import io.dtm.metrics.NotificationMetrics;
import io.dtm.streams.DtmConfig;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.Role;
import io.dtm.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.jboss.logging.Logger;

/**
 * Delivers alert notifications outside the stream threads (DESIGN §7): one {@link NotificationLane} per
 * subscription, kept in step with the subscriptions, and a periodic re-send of the alerts still firing to the
 * Alertmanager subscriptions (with {@code endsAt} ahead). Runs on instances of the alerts role; registers
 * {@code dtm_notifications_total{channel,outcome}} at 0 there.
 */
@ApplicationScoped
public class Notifier {

    private static final Logger LOG = Logger.getLogger(Notifier.class);

    private final SubscriptionStore subscriptions;
    private final AlertQueries alerts;
    private final AlertsConfig config;
    private final DtmConfig dtm;
    private final MeterRegistry registry;
    private final KafkaConnection kafka;
    private final Map<String, NotificationLane> lanes = new ConcurrentHashMap<>();
    private NotificationMetrics metrics;
    private KafkaProducer<String, byte[]> producer;
    private NotificationSender sender;
    private ScheduledExecutorService scheduler;

    Notifier(SubscriptionStore subscriptions, AlertQueries alerts, AlertsConfig config, DtmConfig dtm,
            MeterRegistry registry, KafkaConnection kafka) {
        this.subscriptions = subscriptions;
        this.alerts = alerts;
        this.config = config;
        this.dtm = dtm;
        this.registry = registry;
        this.kafka = kafka;
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
        HttpClient http = HttpClient.newBuilder().connectTimeout(delivery.timeout())
                .followRedirects(HttpClient.Redirect.NEVER) // a redirect could lead past the target guard
                .build();
        sender = new NotificationSender(http, producer, new TargetGuard(config.targetAllowList().orElse(List.of())),
                delivery.timeout(), delivery.externalUrl(), delivery.alertmanagerResend().multipliedBy(4));
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "dtm-notifier");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::syncLanes, 0, 1, TimeUnit.SECONDS);
        long resend = delivery.alertmanagerResend().toMillis();
        scheduler.scheduleWithFixedDelay(this::resendFiring, resend, resend, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        for (NotificationLane lane : lanes.values()) {
            lane.stop();
        }
        producer.close(Duration.ofSeconds(5));
    }

    /** Starts a lane for every new or changed subscription and stops those of deleted ones. */
    private void syncLanes() {
        try {
            Map<String, Subscription> wanted = new java.util.HashMap<>();
            subscriptions.all().stream().filter(Subscription::delivered).forEach(s -> wanted.put(s.id(), s));
            for (var it = lanes.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                if (!e.getValue().subscription().equals(wanted.get(e.getKey()))) {
                    e.getValue().stop();
                    it.remove();
                }
            }
            wanted.forEach((id, s) -> lanes.computeIfAbsent(id, k -> new NotificationLane(s, kafka,
                    Topics.ALERTS.name(), sender, producer, metrics, config.delivery()).start()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("cannot update the notification lanes: %s", e.getMessage());
        }
    }

    /** Pushes the alerts still firing on this instance again to every Alertmanager subscription that wants them. */
    private void resendFiring() {
        List<Subscription> targets = subscriptions.all().stream().filter(s -> "alertmanager".equals(s.channel()))
                .toList();
        if (targets.isEmpty()) {
            return;
        }
        List<AlertTransition> firing;
        try {
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
                    sender.send(s, t, Notifications.idempotencyKey(t, s.id()));
                    metrics.count(s.channel(), "delivered");
                } catch (Exception e) {
                    metrics.count(s.channel(), "failed");
                    LOG.debugf("re-sending %s to %s failed: %s", t.key(), s.id(), e.getMessage());
                }
            }
        }
    }
}
