package io.dtm.streams;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

/**
 * {@code production.exception.handler}: a record the topology could not serialize, or that the producer refused,
 * goes to the dead-letter topic (reason {@code production}, {@code dtm.source.topic} = the topic it was to be
 * written to) and the stream goes on. The dead letter holds the serialized record when there is one and it is not
 * too large, else the input record's bytes when at hand.
 * <p>
 * Under {@code exactly_once_v2} a record the producer refuses (too large, say) also aborts the task's transaction,
 * which Kafka Streams then retries; so the service bounds what it writes (see the vintage cell's cap) rather than
 * rely on this handler for that.
 */
public class DeadLetterProductionHandler extends DeadLetterHandler implements ProductionExceptionHandler {

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        boolean tooLarge = exception instanceof RecordTooLargeException;
        deadLetter(record.topic(), DeadLetters.Reason.PRODUCTION, "cannot write to " + record.topic() + ": "
                + DeadLetters.describe(exception) + (tooLarge ? " (value left out)" : ""), record.key(),
                tooLarge ? null : record.value(), record.headers());
        return ProductionExceptionHandlerResponse.CONTINUE;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        deadLetter(record.topic(), DeadLetters.Reason.PRODUCTION, "cannot serialize the "
                + origin.name().toLowerCase(java.util.Locale.ROOT) + " for " + record.topic() + ": "
                + DeadLetters.describe(exception) + where(context), context.sourceRawKey(), context.sourceRawValue(),
                context.headers());
        return ProductionExceptionHandlerResponse.CONTINUE;
    }
}
