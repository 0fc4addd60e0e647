package io.dtm.ingest;

import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code ingest-resolve-vintage}, per (series, period): first drops an event whose {@code source|id} the cell has
 * seen (counted as a duplicate) and counts the others as accepted; then keeps the winning observation — the latest
 * vintage, ties to the greater (source, id), whatever the arrival order — and forwards only a new winner. A winner
 * replacing an earlier one counts as revised; a loser counts as stale and changes nothing but the events seen.
 * Event ids are remembered for the configured retention, purged on a wall-clock punctuation, and a cell remembers
 * a bounded number of them (the latest first seen; see {@link VintageCell}).
 */
final class VintageProcessor implements Processor<String, Observation, String, Observation> {

    private final DtmMetrics metrics;
    private final Duration retention;
    private final Duration purgeInterval;
    private final int maxEvents;
    private ProcessorContext<String, Observation> context;
    private KeyValueStore<String, VintageCell> cells;

    /** @param maxEvents how many event ids a cell remembers at most ({@link VintageCell}) */
    VintageProcessor(DtmMetrics metrics, Duration retention, Duration purgeInterval, int maxEvents) {
        this.metrics = metrics;
        this.retention = retention;
        this.purgeInterval = purgeInterval;
        this.maxEvents = maxEvents;
    }

    @Override
    public void init(ProcessorContext<String, Observation> context) {
        this.context = context;
        this.cells = context.getStateStore(IngestTopology.VINTAGE_STORE);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, Observation> record) {
        Observation incoming = record.value();
        String event = IngestTopology.eventKey(incoming.source(), incoming.id());
        VintageCell cell = cells.get(record.key());
        if (cell != null && cell.seen().containsKey(event)) {
            metrics.duplicate(incoming.feed());
            return;
        }
        metrics.accepted(incoming.feed());
        long now = context.currentSystemTimeMs();
        if (cell == null) {
            cells.put(record.key(), new VintageCell(incoming, Map.of(event, now)));
            context.forward(record);
            return;
        }
        if (!incoming.supersedes(cell.winner())) {
            metrics.stale(incoming.feed());
            cells.put(record.key(), cell.with(event, now, cell.winner(), maxEvents));
            return;
        }
        metrics.revised(incoming.feed());
        cells.put(record.key(), cell.with(event, now, incoming, maxEvents));
        context.forward(record);
    }

    private void purge(long now) {
        long oldest = now - retention.toMillis();
        List<KeyValue<String, VintageCell>> changed = new ArrayList<>();
        try (KeyValueIterator<String, VintageCell> all = cells.all()) {
            while (all.hasNext()) {
                KeyValue<String, VintageCell> entry = all.next();
                VintageCell kept = entry.value.forgetBefore(oldest);
                if (kept != entry.value) {
                    changed.add(KeyValue.pair(entry.key, kept));
                }
            }
        }
        changed.forEach(kv -> cells.put(kv.key, kv.value));
    }
}
