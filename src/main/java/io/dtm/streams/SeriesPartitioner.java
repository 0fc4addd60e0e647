package io.dtm.streams;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions records keyed {@code feed|reporter|partner|flow|category|period} by their series (the key without the
 * period), with the default partitioner's hash: every period of a series lands on one partition, so that a task
 * holds whole series and computes indicators over time (growth, CAGR) from its own store.
 */
public final class SeriesPartitioner<V> implements StreamPartitioner<String, V> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
        return Optional.of(Set.of(partitionOf(key, numPartitions)));
    }

    /** The partition of the series of {@code key} ({@code series|period}) among {@code numPartitions}. */
    public static int partitionOf(String key, int numPartitions) {
        int end = key.lastIndexOf('|');
        return partitionOfStringKey(end < 0 ? key : key.substring(0, end), numPartitions);
    }

    /** The partition Kafka's default partitioner gives a record with the string key {@code key}. */
    public static int partitionOfStringKey(String key, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
