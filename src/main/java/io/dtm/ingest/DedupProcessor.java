package io.dtm.ingest;

import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code ingest-dedup}: drops an event whose {@code source|id} was seen before on this partition (counted as a
 * duplicate), lets the first one through (counted as accepted); remembers ids for the configured retention, purged
 * on a wall-clock punctuation. Its input is keyed by (series, period), which a repeat shares with the first copy.
 */
final class DedupProcessor implements Processor<String, Observation, String, Observation> {

    private final DtmMetrics metrics;
    private final Duration retention;
    private final Duration purgeInterval;
    private ProcessorContext<String, Observation> context;
    private KeyValueStore<String, Long> seen;

    DedupProcessor(DtmMetrics metrics, Duration retention, Duration purgeInterval) {
        this.metrics = metrics;
        this.retention = retention;
        this.purgeInterval = purgeInterval;
    }

    @Override
    public void init(ProcessorContext<String, Observation> context) {
        this.context = context;
        this.seen = context.getStateStore(IngestTopology.EVENT_ID_STORE);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, Observation> record) {
        Observation obs = record.value();
        String event = IngestTopology.eventKey(obs.source(), obs.id());
        if (seen.get(event) != null) {
            metrics.duplicate(obs.feed());
            return;
        }
        seen.put(event, context.currentSystemTimeMs());
        metrics.accepted(obs.feed());
        context.forward(record);
    }

    private void purge(long now) {
        long oldest = now - retention.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seen.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < oldest) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(seen::delete);
    }
}
