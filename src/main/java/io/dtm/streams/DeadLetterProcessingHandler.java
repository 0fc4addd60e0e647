package io.dtm.streams;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * {@code processing.exception.handler} (KIP-1033): a record on which a processor throws goes to the dead-letter
 * topic (reason {@code processing}) as it was read from its topic, and the stream goes on with the next record.
 * When the bytes read are no longer at hand (the task already wrote a record computed from it), the record as the
 * failing processor had it is written in JSON instead, and the detail says so.
 */
public class DeadLetterProcessingHandler extends DeadLetterHandler implements ProcessingExceptionHandler {

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String detail = DeadLetters.describe(exception) + where(context);
        byte[] key = context.sourceRawKey();
        byte[] value = context.sourceRawValue();
        if (value == null && record != null && record.value() != null) {
            key = key != null ? key : bytesOf(record.key());
            value = bytesOf(record.value());
            detail += " (value: the record as the processor had it)";
        }
        deadLetter(context.topic(), DeadLetters.Reason.PROCESSING, detail, key, value, context.headers());
        return ProcessingHandlerResponse.CONTINUE;
    }
}
