package io.dtm.ingest;

import io.dtm.api.Problems;
import io.dtm.events.Feed;
import io.dtm.events.Observation;
import io.dtm.events.RejectReason;
import io.dtm.metrics.DtmMetrics;
import io.dtm.streams.DeadLetters;
import io.dtm.streams.SeriesPartitioner;
import io.dtm.streams.Topics;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * {@code ingest-parse}: decodes every record of the feed topics (the feed is the topic's); a valid event goes on as
 * its observation with its {@code series|period} key (headers dropped) and whether it was read on the partition of
 * its series ({@link SeriesPartitioner} over the repartition's partitions), where the vintage step of this task
 * takes it without a hop; a bad one as its original bytes and headers plus the {@code dtm.error.*} headers. A
 * feed whose records are keyed by the series' string form ({@code feed|reporter|partner|flow|category}) lands
 * every event on its series' partition when its topic has as many partitions.
 */
final class ParseProcessor implements Processor<byte[], byte[], byte[], ParseProcessor.Parsed> {

    /**
     * A parsed record: either an {@code entry} (valid: an observation or a retraction) with its {@code key}
     * ({@code series|period}) and whether it is on its series' partition ({@code here}), or the {@code original}
     * bytes (rejected).
     */
    record Parsed(VintageEntry entry, String key, boolean here, byte[] original) {

        boolean rejected() {
            return entry == null;
        }
    }

    private final int partitions;
    private final DtmMetrics metrics;
    private final Clock clock;
    private ProcessorContext<byte[], Parsed> context;

    /**
     * @param partitions  the partitions of the repartition to the series' partition
     * @param clock       today's date, against which periods and vintages must be plausible
     */
    ParseProcessor(int partitions, DtmMetrics metrics, Clock clock) {
        this.partitions = partitions;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<byte[], Parsed> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Feed feed = Topics.feedOf(source.topic())
                .orElseThrow(() -> new IllegalStateException("not a feed topic: " + source.topic()));
        metrics.received(feed.label());
        EventDecoder.Decoded decoded = decodeSafely(record, feed, LocalDate.now(clock));
        if (decoded instanceof EventDecoder.Accepted accepted) {
            Observation obs = accepted.observation();
            String key = obs.series().withPeriod(obs.period());
            boolean here = source.partition() == SeriesPartitioner.partitionOf(key, partitions);
            VintageEntry entry = new VintageEntry(obs, accepted.retraction());
            context.forward(record.withHeaders(new RecordHeaders()).withValue(new Parsed(entry, key, here, null)));
        } else {
            EventDecoder.Rejected rejected = (EventDecoder.Rejected) decoded;
            metrics.rejected(feed.label(), rejected.reason());
            Headers headers = deadLetterHeaders(record.headers(), rejected, source.topic());
            context.forward(record.withHeaders(headers).withValue(new Parsed(null, null, false, record.value())));
        }
    }

    /** Decodes a record; an unexpected failure of the decoder rejects the record instead of stopping the thread. */
    private static EventDecoder.Decoded decodeSafely(Record<byte[], byte[]> record, Feed feed, LocalDate today) {
        try {
            return EventDecoder.decode(record.headers(), record.value(), feed, today);
        } catch (RuntimeException e) {
            return new EventDecoder.Rejected(feed.label(), RejectReason.MALFORMED, EventDecoder.Mode.STRUCTURED,
                    List.of(FieldError.attribute("event", "could not be decoded: " + Problems.echo(e))));
        }
    }

    /** The original headers plus the {@code dtm.error.*} and {@code dtm.source.topic} headers. */
    static Headers deadLetterHeaders(Headers original, EventDecoder.Rejected rejected, String sourceTopic) {
        return DeadLetters.headers(original, rejected.reason().label(), rejected.detail(), sourceTopic);
    }
}
