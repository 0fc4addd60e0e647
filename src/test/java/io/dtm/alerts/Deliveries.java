package io.dtm.alerts;

import io.dtm.events.AlertTransition;
import io.dtm.metrics.NotificationMetrics;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.KafkaConnection;
import io.dtm.support.KafkaBroker;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A dispatcher with its lanes over a topic of the real broker, for the delivery tests. */
final class Deliveries {

    private Deliveries() {
    }

    /** Creates {@code topic} with {@code partitions} partitions and waits for their leaders. */
    static void createTopic(String topic, int partitions) throws Exception {
        KafkaBroker.createTopics(KafkaBroker.bootstrapServers(), List.of(new NewTopic(topic, partitions, (short) 1)));
    }

    /**
     * A dispatcher of {@code topic} in {@code group} delivering to {@code subscriptions} (read at every poll and
     * attempt), lanes of {@code capacity}.
     */
    static NotificationDispatcher dispatcher(Vertx vertx, String topic, String group,
            Supplier<List<Subscription>> subscriptions, KafkaProducer<String, byte[]> producer,
            NotificationMetrics metrics, Executor workers, AlertsConfig.DeliveryConfig config, int capacity) {
        return dispatcher(vertx, topic, group, subscriptions, producer, metrics, workers, config, capacity,
                (record, why) -> {
                    throw new AssertionError("unexpected unreadable record at offset " + record.offset(), why);
                });
    }

    /** {@link #dispatcher} handing the records that are not alert transitions to {@code unreadable}. */
    static NotificationDispatcher dispatcher(Vertx vertx, String topic, String group,
            Supplier<List<Subscription>> subscriptions, KafkaProducer<String, byte[]> producer,
            NotificationMetrics metrics, Executor workers, AlertsConfig.DeliveryConfig config, int capacity,
            java.util.function.BiConsumer<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>,
                    Exception> unreadable) {
        NotificationSender sender = new NotificationSender(vertx.createHttpClient(Notifier.httpOptions(config)),
                vertx.getOrCreateContext(), producer, new TargetGuard(List.of("127.0.0.1")), config.timeout(),
                config.externalUrl(), Duration.ofMinutes(4));
        return new NotificationDispatcher(topic, group, KafkaConnection.of(KafkaBroker.bootstrapServers()),
                subscriptions, id -> new NotificationLane(id, lookup(subscriptions), sender, producer, metrics,
                        workers, config, capacity), unreadable);
    }

    private static java.util.function.Function<String, Optional<Subscription>> lookup(
            Supplier<List<Subscription>> subscriptions) {
        return id -> subscriptions.get().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** A firing transition of one alert (one key: one partition). */
    static AlertTransition firing(String id) {
        return new AlertTransition("r|CHN", id, "r", "warning", "country", "a rule", Map.of("reporter", "CHN"),
                "pending", "firing", "2024", "2024", 1.0, 5.0, System.currentTimeMillis(), "urn:s", "e-" + id,
                "2025-01-01");
    }

    /** Publishes {@code t} and waits for Kafka's acknowledgement. */
    static void publish(KafkaProducer<String, byte[]> producer, String topic, AlertTransition t) throws Exception {
        producer.send(new ProducerRecord<>(topic, t.key(), JsonSerde.MAPPER.writeValueAsBytes(t))).get();
    }
}
