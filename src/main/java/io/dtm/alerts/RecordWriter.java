package io.dtm.alerts;

import io.dtm.streams.KafkaConnection;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the REST API's changes to the alerts' systems of record ({@code dtm.alert-rules.v1},
 * {@code dtm.subscriptions.v1}): one idempotent producer waiting for every replica, made on first use (an instance
 * that never writes opens no connection for it) and closed at stop.
 */
@ApplicationScoped
class RecordWriter {

    private final KafkaConnection kafka;
    private KafkaProducer<String, byte[]> producer;

    RecordWriter(KafkaConnection kafka) {
        this.kafka = kafka;
    }

    /**
     * Writes {@code value} ({@code null}: a tombstone) under {@code key} and waits, at most 10 s, for Kafka's
     * acknowledgement.
     */
    RecordMetadata write(String topic, String key, byte[] value) throws Exception {
        return producer().send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(kafka.with(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
