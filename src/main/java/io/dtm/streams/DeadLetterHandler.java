package io.dtm.streams;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;

/**
 * What the three Kafka Streams exception handlers share: Kafka Streams creates them from their class names and
 * configures them with the application's configuration, whose {@code application.id} names the
 * {@link DeadLetters} installed for the application at start.
 */
abstract class DeadLetterHandler implements Configurable {

    private static final Logger LOG = Logger.getLogger(DeadLetterHandler.class);

    private String applicationId;

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        applicationId = id == null ? null : id.toString();
    }

    /** Dead-letters one record, or logs it when no dead letters are installed for the application. */
    void deadLetter(String topic, DeadLetters.Reason reason, String detail, byte[] key, byte[] value,
            Headers headers) {
        Optional<DeadLetters> deadLetters = DeadLetters.of(applicationId);
        if (deadLetters.isPresent()) {
            deadLetters.get().send(topic, reason, detail, key, value, headers);
        } else {
            LOG.errorf("no dead-letter topic installed for %s: a record of %s skipped (%s: %s)", applicationId, topic,
                    reason.label(), detail);
        }
    }

    /** A key or value as bytes: bytes as they are, text in UTF-8, anything else in JSON (or its string form). */
    static byte[] bytesOf(Object value) {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return JsonSerde.MAPPER.writeValueAsBytes(value);
        } catch (Exception e) {
            return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Where the record being handled was read: partition, offset and processor, for the detail header. */
    static String where(ErrorHandlerContext context) {
        if (context == null || context.topic() == null) {
            return context == null ? "" : " in " + context.processorNodeId() + " (no input record)";
        }
        return " in " + context.processorNodeId() + " at " + context.topic() + "-" + context.partition() + "@"
                + context.offset();
    }
}
