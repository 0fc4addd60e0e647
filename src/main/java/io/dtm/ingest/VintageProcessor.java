package io.dtm.ingest;

import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.streams.SharedStreams.Winner;
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
 * seen (counted as a duplicate) and counts the others as accepted; then keeps the winning entry — the latest
 * vintage, at the same vintage a retraction before an observation, then the greater (source, id), whatever the
 * arrival order ({@link VintageEntry#ORDER}) — and forwards only what changes: a new winning observation, or a
 * tombstone (a {@code null} value) when a retraction withdraws the observation that stood. An observation replacing
 * an earlier winner (an observation or a retraction) counts as revised; a retraction that wins counts as retracted;
 * a loser counts as stale and changes nothing but the events seen. What it forwards says whether an observation
 * stood for the (series, period) before ({@link Winner#first()}), so that the indicators computed behind it in
 * the same task know when none of their values can be stored yet.
 * Event ids are remembered for the configured retention, purged on a wall-clock punctuation, and a cell remembers
 * a bounded number of them (the latest first seen; see {@link VintageCell}).
 */
final class VintageProcessor implements Processor<String, VintageEntry, String, Winner> {

    private final DtmMetrics metrics;
    private final Duration retention;
    private final Duration purgeInterval;
    private final int maxEvents;
    private ProcessorContext<String, Winner> context;
    private KeyValueStore<String, VintageCell> cells;

    /** @param maxEvents how many event ids a cell remembers at most ({@link VintageCell}) */
    VintageProcessor(DtmMetrics metrics, Duration retention, Duration purgeInterval, int maxEvents) {
        this.metrics = metrics;
        this.retention = retention;
        this.purgeInterval = purgeInterval;
        this.maxEvents = maxEvents;
    }

    @Override
    public void init(ProcessorContext<String, Winner> context) {
        this.context = context;
        this.cells = context.getStateStore(IngestTopology.VINTAGE_STORE);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, VintageEntry> record) {
        VintageEntry incoming = record.value();
        Observation fields = incoming.observation();
        String event = IngestTopology.eventKey(fields.source(), fields.id());
        VintageCell cell = cells.get(record.key());
        if (cell != null && cell.seen().containsKey(event)) {
            metrics.duplicate(fields.feed());
            return;
        }
        metrics.accepted(fields.feed());
        long now = context.currentSystemTimeMs();
        if (cell != null && !incoming.supersedes(cell.entry())) {
            metrics.stale(fields.feed());
            cells.put(record.key(), cell.with(event, now, cell.entry(), maxEvents));
            return;
        }
        Observation before = cell == null ? null : cell.observation();
        cells.put(record.key(), cell == null ? new VintageCell(incoming, Map.of(event, now))
                : cell.with(event, now, incoming, maxEvents));
        if (incoming.retraction()) {
            metrics.retracted(fields.feed());
            if (before != null) {
                context.forward(record.withValue(Winner.of(null)));
            }
            return;
        }
        if (cell != null) {
            metrics.revised(fields.feed());
        }
        context.forward(record.withValue(new Winner(fields, before == null)));
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
