package io.dtm.ingest;

import io.dtm.streams.KafkaConnection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Publishes HTTP-accepted events to their feed topics and HTTP rejects to the dead-letter topic: one Kafka
 * transaction per request (idempotent, acks=all), so a batch lands whole or not at all. A record too large for
 * Kafka is refused before anything is sent. A transaction may last three times {@code dtm.ingest.publish-timeout}
 * (15 s), so one left open by a killed instance is aborted by the broker that soon.
 */
@ApplicationScoped
public class FeedPublisher {

    private static final Logger LOG = Logger.getLogger(FeedPublisher.class);
    /** The producer's {@code max.request.size}: Kafka's default, which a topic's default limit also takes. */
    static final int MAX_REQUEST_SIZE = (int) ProducerConfig.configDef().defaultValues()
            .get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);

    private final KafkaConnection kafka;
    private final String bootstrapServers;
    private final Duration timeout;
    private Producer<byte[], byte[]> producer;

    FeedPublisher(KafkaConnection kafka, IngestConfig config) {
        this.kafka = kafka;
        this.bootstrapServers = kafka.bootstrapServers();
        this.timeout = config.publishTimeout();
    }

    /**
     * Sends every record in one transaction, or none.
     *
     * @throws EventTooLargeException when a record is larger than the producer's {@code max.request.size} (checked
     *                                before anything is sent) or than the topic takes
     */
    public synchronized void publish(List<ProducerRecord<byte[], byte[]>> records)
            throws KafkaUnavailableException, EventTooLargeException {
        for (int i = 0; i < records.size(); i++) {
            int size = recordSize(records.get(i));
            if (size > MAX_REQUEST_SIZE) {
                throw new EventTooLargeException("record " + (i + 1) + " of " + records.size() + " would be " + size
                        + " bytes on " + records.get(i).topic() + ", more than the " + MAX_REQUEST_SIZE
                        + " bytes of a Kafka record (max.request.size)", null);
            }
        }
        try {
            Producer<byte[], byte[]> p = producer();
            p.beginTransaction();
            records.forEach(p::send);
            p.commitTransaction();
        } catch (KafkaException | IllegalStateException e) {
            LOG.warnf("publishing %d record(s) to %s failed: %s", records.size(), bootstrapServers, e.getMessage());
            discardProducer();
            if (causedByTooLarge(e)) {
                throw new EventTooLargeException("Kafka refused a record as too large: " + e.getMessage(), e);
            }
            throw new KafkaUnavailableException("Kafka at " + bootstrapServers + " did not take the events: "
                    + e.getMessage(), e);
        }
    }

    /** The size the producer gives a record when it checks it against {@code max.request.size}. */
    static int recordSize(ProducerRecord<byte[], byte[]> record) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                record.key(), record.value(), record.headers().toArray());
    }

    private static boolean causedByTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            int millis = (int) timeout.toMillis();
            KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(kafka.with(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dtm-http-ingest-" + UUID.randomUUID(),
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, millis,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis * 2,
                    // A transaction left open by an instance that died (kill -9, OOM) holds back every read_committed
                    // reader of its partitions, the streams included, until the coordinator aborts it: after this
                    // (the longest a publish can last: its sends, then the commit), not Kafka's default minute.
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, millis * 3,
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_SIZE,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("closing a failed producer", e);
            }
            producer = null;
        }
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(timeout);
            producer = null;
        }
    }
}
