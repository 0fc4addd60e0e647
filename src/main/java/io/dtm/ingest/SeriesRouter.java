package io.dtm.ingest;

import io.dtm.events.Observation;
import io.dtm.streams.SeriesPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * {@code ingest-key-by-series-period}: keys an accepted event by {@code series|period} and tells whether it was read
 * from the partition of its series ({@link SeriesPartitioner} over the repartition's partitions), where the vintage
 * step of this task can take it without a hop. A feed whose records are keyed by the series' string form
 * ({@code feed|reporter|partner|flow|category}) lands every event there when its topic has as many partitions.
 */
final class SeriesRouter implements Processor<byte[], Observation, String, SeriesRouter.Routed> {

    /** An observation and whether it is on its series' partition already. */
    record Routed(Observation observation, boolean here) {
    }

    private final int partitions;
    private ProcessorContext<String, Routed> context;

    SeriesRouter(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], Observation> record) {
        Observation obs = record.value();
        String key = obs.series().withPeriod(obs.period());
        boolean here = context.recordMetadata()
                .map(m -> m.partition() == SeriesPartitioner.partitionOf(key, partitions)).orElse(false);
        context.forward(record.withKey(key).withValue(new Routed(obs, here)));
    }
}
