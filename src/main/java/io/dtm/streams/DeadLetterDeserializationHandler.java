package io.dtm.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * {@code deserialization.exception.handler}: a record whose key or value the topic's serde cannot read goes to the
 * dead-letter topic as it was read (reason {@code deserialization}), and the stream goes on.
 */
public class DeadLetterDeserializationHandler extends DeadLetterHandler implements DeserializationExceptionHandler {

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        deadLetter(record.topic(), DeadLetters.Reason.DESERIALIZATION, DeadLetters.describe(exception) + " at "
                + record.topic() + "-" + record.partition() + "@" + record.offset(), record.key(), record.value(),
                record.headers());
        return DeserializationHandlerResponse.CONTINUE;
    }
}
