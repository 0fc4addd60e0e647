package io.dtm.indicators;

import io.dtm.events.Observation;
import io.dtm.streams.KafkaConnection;
import io.dtm.streams.SeriesPartitioner;
import io.dtm.streams.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads {@code dtm.observations.v1} from the beginning to its end and hands over the placements of the given
 * catalogue entries whose group lives on one partition: how a new or changed entry computes its history. A record
 * that is not an observation is left out (the stream that reads the topic dead-letters it).
 */
final class CatalogueBackfill {

    private static final Logger LOG = Logger.getLogger(CatalogueBackfill.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private CatalogueBackfill() {
    }

    /**
     * Calls {@code apply(group, input)} for every placement of {@code entries} whose group the partitioner puts on
     * {@code partition} of the {@code groupTopic} (the repartition topic), in topic order.
     */
    static int replay(KafkaConnection kafka, String groupTopic, int partition, Map<String, IndicatorKind> entries,
            BiConsumer<String, GroupInput> apply) {
        Map<String, Object> config = kafka.with(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        int applied = 0;
        Deserializer<Observation> observations = Topics.OBSERVATIONS.valueSerde().deserializer();
        int unreadable = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            int groupPartitions = consumer.partitionsFor(groupTopic).size();
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(Topics.OBSERVATIONS.name())) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    Observation observation;
                    try {
                        observation = observations.deserialize(record.topic(), record.value());
                    } catch (RuntimeException e) {
                        unreadable++; // dead-lettered by the stream that reads the topic
                        continue;
                    }
                    // a tombstone withdraws what came before it under its key (a retraction)
                    Observation withdrawn = observation == null ? IndicatorsTopology.withdrawn(record.key()) : null;
                    if (observation == null && withdrawn == null) {
                        continue;
                    }
                    for (Map.Entry<String, IndicatorKind> entry : entries.entrySet()) {
                        IndicatorKind kind = entry.getValue();
                        for (IndicatorKind.Placement p : observation == null ? kind.placeWithdrawn(withdrawn)
                                : kind.place(observation)) {
                            if (SeriesPartitioner.partitionOfStringKey(p.group(), groupPartitions) == partition) {
                                apply.accept(p.group(), GroupInput.of(entry.getKey(), p, observation));
                                applied++;
                            }
                        }
                    }
                }
            }
        }
        if (unreadable > 0) {
            LOG.warnf("%d unreadable record(s) of %s left out of the back-fill", unreadable,
                    Topics.OBSERVATIONS.name());
        }
        return applied;
    }

}
