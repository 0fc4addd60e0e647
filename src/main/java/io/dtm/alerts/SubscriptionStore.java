package io.dtm.alerts;

import io.dtm.streams.JsonSerde;
import io.dtm.streams.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The subscriptions, kept in the compacted topic {@code dtm.subscriptions.v1} (the system of record) and read
 * back into memory by a background consumer from its beginning, so that every instance sees every subscription.
 * A write is applied to this instance's view as soon as Kafka acknowledges it.
 */
@ApplicationScoped
public class SubscriptionStore {

    private static final Logger LOG = Logger.getLogger(SubscriptionStore.class);

    private final String bootstrapServers;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private KafkaProducer<String, byte[]> producer;
    private Thread reader;

    SubscriptionStore(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent event) {
        reader = new Thread(this::read, "dtm-subscriptions-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (reader != null) {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        }
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    /** Every subscription (with secrets: for delivery, never for the API). */
    public List<Subscription> all() {
        return byId.values().stream().sorted(java.util.Comparator.comparing(Subscription::id)).toList();
    }

    public Optional<Subscription> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Writes a subscription (or, with {@code null}, deletes it) and waits for Kafka's acknowledgement. */
    public void put(String id, Subscription subscription) throws Exception {
        byte[] value = subscription == null ? null : JsonSerde.MAPPER.writeValueAsBytes(subscription);
        producer().send(new ProducerRecord<>(Topics.SUBSCRIPTIONS.name(), id, value)).get(10, TimeUnit.SECONDS);
        apply(id, value);
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private void apply(String id, byte[] value) {
        if (value == null) {
            byId.remove(id);
            return;
        }
        try {
            byId.put(id, JsonSerde.MAPPER.readValue(value, Subscription.class));
        } catch (IOException e) {
            LOG.warnf("unreadable subscription %s on %s left out: %s", id, Topics.SUBSCRIPTIONS.name(),
                    e.getMessage());
        }
    }

    private void read() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, "dtm-subscriptions-view-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                c.subscribe(List.of(Topics.SUBSCRIPTIONS.name()));
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
                        apply(r.key(), r.value());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("reading %s failed (%s); retrying", Topics.SUBSCRIPTIONS.name(), e.getMessage());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
