package io.dtm.ingest;

import io.dtm.events.Feed;
import io.dtm.events.Observation;
import io.dtm.events.RejectReason;
import java.util.List;
import io.dtm.metrics.DtmMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * {@code ingest-parse-<feed>}: decodes every record of a feed topic; a valid event goes on as its observation
 * (headers dropped), a bad one as its original bytes and headers plus the {@code dtm.error.*} headers.
 */
final class ParseProcessor implements Processor<byte[], byte[], byte[], ParseProcessor.Parsed> {

    /** Dead-letter header: the reject reason label. */
    static final String REASON_HEADER = "dtm.error.reason";
    /** Dead-letter header: every bad attribute and field, on one line. */
    static final String DETAIL_HEADER = "dtm.error.detail";
    /** Dead-letter header: the topic the record was read from ({@code http} for HTTP requests). */
    static final String SOURCE_TOPIC_HEADER = "dtm.source.topic";

    /** A parsed record: exactly one of {@code observation} (valid) and {@code original} (rejected) is set. */
    record Parsed(Observation observation, byte[] original) {
    }

    private final Feed feed;
    private final String topic;
    private final DtmMetrics metrics;
    private ProcessorContext<byte[], Parsed> context;

    ParseProcessor(Feed feed, String topic, DtmMetrics metrics) {
        this.feed = feed;
        this.topic = topic;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Parsed> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.received(feed.label());
        EventDecoder.Decoded decoded = decodeSafely(record);
        if (decoded instanceof EventDecoder.Accepted accepted) {
            context.forward(record.withHeaders(new RecordHeaders()).withValue(new Parsed(accepted.observation(), null)));
        } else {
            EventDecoder.Rejected rejected = (EventDecoder.Rejected) decoded;
            metrics.rejected(feed.label(), rejected.reason());
            Headers headers = deadLetterHeaders(record.headers(), rejected, topic);
            context.forward(record.withHeaders(headers).withValue(new Parsed(null, record.value())));
        }
    }

    /** Decodes a record; an unexpected failure of the decoder rejects the record instead of stopping the thread. */
    private EventDecoder.Decoded decodeSafely(Record<byte[], byte[]> record) {
        try {
            return EventDecoder.decode(record.headers(), record.value(), feed);
        } catch (RuntimeException e) {
            return new EventDecoder.Rejected(feed.label(), RejectReason.MALFORMED, EventDecoder.Mode.STRUCTURED,
                    List.of(FieldError.attribute("event", "could not be decoded: " + e)));
        }
    }

    /** The original headers plus the {@code dtm.error.*} and {@code dtm.source.topic} headers. */
    static Headers deadLetterHeaders(Headers original, EventDecoder.Rejected rejected, String sourceTopic) {
        Headers headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        headers.remove(REASON_HEADER).remove(DETAIL_HEADER).remove(SOURCE_TOPIC_HEADER);
        headers.add(REASON_HEADER, rejected.reason().label().getBytes(StandardCharsets.UTF_8));
        headers.add(DETAIL_HEADER, rejected.detail().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_TOPIC_HEADER, sourceTopic.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
