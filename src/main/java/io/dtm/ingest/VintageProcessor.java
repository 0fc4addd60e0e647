package io.dtm.ingest;

import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code ingest-resolve-vintage}: keeps the winning observation per (series, period) — the latest vintage, ties
 * to the greater (source, id), whatever the arrival order — and forwards only a new winner. A winner replacing an
 * earlier one counts as revised; a loser counts as stale and changes nothing.
 */
final class VintageProcessor implements Processor<String, Observation, String, Observation> {

    private final DtmMetrics metrics;
    private ProcessorContext<String, Observation> context;
    private KeyValueStore<String, Observation> winners;

    VintageProcessor(DtmMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Observation> context) {
        this.context = context;
        this.winners = context.getStateStore(IngestTopology.VINTAGE_STORE);
    }

    @Override
    public void process(Record<String, Observation> record) {
        Observation incoming = record.value();
        Observation current = winners.get(record.key());
        if (current != null) {
            if (!incoming.supersedes(current)) {
                metrics.stale(incoming.feed());
                return;
            }
            metrics.revised(incoming.feed());
        }
        winners.put(record.key(), incoming);
        context.forward(record);
    }
}
