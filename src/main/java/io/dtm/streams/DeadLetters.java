package io.dtm.streams;

import io.dtm.metrics.DtmMetrics;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Writes a record that the service could not read, process or write to the dead-letter topic {@code dtm.dlq.v1}
 * (its original key, value and headers plus the {@code dtm.error.*} headers) and counts it in
 * {@code dtm_records_dead_lettered_total{topic,reason}}. Used by the Kafka Streams exception handlers (which Kafka
 * Streams creates from class names: they find this by the application id, see {@link #install}) and by the
 * readers of compacted topics outside Kafka Streams. The header names are defined here, once, for every
 * dead-letter topic of the service.
 */
public class DeadLetters {

    /** Dead-letter header: why the record was dead-lettered (a reject reason or a {@link Reason} label). */
    public static final String REASON_HEADER = "dtm.error.reason";
    /** Dead-letter header: what went wrong, on one line. */
    public static final String DETAIL_HEADER = "dtm.error.detail";
    /** Dead-letter header: the topic the record was read from ({@code http} for HTTP requests). */
    public static final String SOURCE_TOPIC_HEADER = "dtm.source.topic";

    /** Why a record was dead-lettered by a handler: the {@code reason} label and header value. */
    public enum Reason {
        /** Its key or value could not be read with the topic's serde. */
        DESERIALIZATION,
        /** A processor threw while processing it. */
        PROCESSING,
        /** A record computed from it could not be serialized or written. */
        PRODUCTION;

        /** Lower-case form, as in metrics and headers. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The label of the {@code topic} of a record that no topic record caused (a punctuation). */
    public static final String NO_TOPIC = "none";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final int MAX_DETAIL = 1000;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final long WARN_EVERY_MS = 60_000;
    private static final Map<String, DeadLetters> BY_APPLICATION = new ConcurrentHashMap<>();

    private final Producer<byte[], byte[]> producer;
    private final DtmMetrics metrics;
    private final Map<String, Long> lastWarned = new ConcurrentHashMap<>();

    /**
     * @param producer writes to the dead-letter topic; not transactional, so a record dead-lettered by a task whose
     *                 transaction is then aborted may be dead-lettered again when the task reprocesses it
     */
    public DeadLetters(Producer<byte[], byte[]> producer, DtmMetrics metrics) {
        this.producer = producer;
        this.metrics = metrics;
        for (Topic<?, ?> topic : Topics.read()) {
            for (Reason reason : Reason.values()) {
                metrics.registerDeadLettered(topic.name(), reason.label());
            }
        }
    }

    /** Makes {@code deadLetters} the one that the exception handlers of Kafka Streams application {@code id} use. */
    public static void install(String applicationId, DeadLetters deadLetters) {
        BY_APPLICATION.put(applicationId, deadLetters);
    }

    /** The dead letters installed for Kafka Streams application {@code applicationId}. */
    static Optional<DeadLetters> of(String applicationId) {
        return Optional.ofNullable(applicationId).map(BY_APPLICATION::get);
    }

    /**
     * Writes one record to the dead-letter topic, waits for Kafka's acknowledgement and counts it; a failure to
     * write is logged with the record's coordinates (it is still on its topic) and not counted. Logs at most one
     * warning a minute per topic and reason; the others at debug.
     *
     * @param topic   the topic the record was read from ({@link #NO_TOPIC} when none), or, for
     *                {@link Reason#PRODUCTION}, the topic it was to be written to
     * @param detail  what went wrong
     * @param headers the original headers, kept ({@code null} for none)
     */
    public void send(String topic, Reason reason, String detail, byte[] key, byte[] value, Headers headers) {
        String label = topic == null ? NO_TOPIC : topic;
        String oneLine = oneLine(detail);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.DLQ.name(), null, key, value,
                headers(headers, reason.label(), oneLine, label));
        try {
            producer.send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.errorf("interrupted while dead-lettering a record of %s (%s): %s", label, reason.label(), oneLine);
            return;
        } catch (Exception e) {
            LOG.errorf("a record of %s (%s: %s) could not be written to %s: %s", label, reason.label(), oneLine,
                    Topics.DLQ.name(), e.getMessage());
            return;
        }
        metrics.deadLettered(label, reason.label());
        long now = System.currentTimeMillis();
        String warnKey = label + "|" + reason.label();
        Long last = lastWarned.get(warnKey);
        if (last == null || now - last >= WARN_EVERY_MS) {
            lastWarned.put(warnKey, now);
            LOG.warnf("a record of %s was dead-lettered to %s (%s): %s (at most one such warning a minute)", label,
                    Topics.DLQ.name(), reason.label(), oneLine);
        } else {
            LOG.debugf("a record of %s was dead-lettered to %s (%s): %s", label, Topics.DLQ.name(), reason.label(),
                    oneLine);
        }
    }

    /**
     * Writes a row of an imported file that could not be read to the dead-letter topic and waits for Kafka's
     * acknowledgement (it is counted by the import, {@code dtm_import_rows_total{outcome="rejected"}}).
     *
     * @param source where the row came from, as {@code dtm.source.topic} ({@code import:<dataset>})
     * @param detail the file's line and why the row was refused
     * @throws IllegalStateException when Kafka does not take it
     */
    public void sendRejectedRow(String source, String detail, byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.DLQ.name(), null, key, value,
                    headers(null, "rejected-row", oneLine(detail), source))).get(SEND_TIMEOUT.toMillis(),
                            TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering a row of " + source, e);
        } catch (Exception e) {
            throw new IllegalStateException("a row of " + source + " could not be written to " + Topics.DLQ.name()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The original headers (if any) plus the {@code dtm.error.*} and {@code dtm.source.topic} headers. */
    public static Headers headers(Headers original, String reason, String detail, String sourceTopic) {
        Headers headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        headers.remove(REASON_HEADER).remove(DETAIL_HEADER).remove(SOURCE_TOPIC_HEADER);
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(DETAIL_HEADER, detail.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_TOPIC_HEADER, sourceTopic.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** An exception as one line: its class and message, and those of its root cause. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? text : text + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage()
                + ")";
    }

    private static String oneLine(String detail) {
        String line = detail == null ? "" : detail.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL - 1) + "…";
    }

    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** The application's dead letters, written by a producer of their own. */
    @jakarta.enterprise.context.Dependent
    static final class Configured {

        @Produces
        @Singleton
        DeadLetters deadLetters(KafkaConnection kafka, DtmMetrics metrics) {
            return new DeadLetters(new KafkaProducer<>(kafka.with(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() - 1000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                    ProducerConfig.CLIENT_ID_CONFIG, "dtm-dead-letters"), new ByteArraySerializer(),
                    new ByteArraySerializer()), metrics);
        }

        void close(@Disposes DeadLetters deadLetters) {
            deadLetters.close();
        }
    }
}
