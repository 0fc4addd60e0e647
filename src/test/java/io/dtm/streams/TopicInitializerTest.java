package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicInitializerTest {

    private static TopicInitializer withPartitions(int partitions) {
        DtmConfig.TopicsConfig topics = new DtmConfig.TopicsConfig() {
            @Override
            public boolean create() {
                return true;
            }

            @Override
            public int partitions() {
                return partitions;
            }

            @Override
            public Optional<Short> replicationFactor() {
                return Optional.empty();
            }

            @Override
            public long dlqRetentionMs() {
                return -1;
            }
        };
        DtmConfig config = new DtmConfig() {
            @Override
            public List<String> roles() {
                return List.of("ingest");
            }

            @Override
            public TopicsConfig topics() {
                return topics;
            }
        };
        return new TopicInitializer(config, KafkaConnection.of("127.0.0.1:9092"));
    }

    @Test
    void shouldWarnAboutEachFeedTopicWhosePartitionsAreNotTheConfiguredOnes() {
        List<String> warnings = withPartitions(3).partitionWarnings(
                Map.of("dtm.trade.v1", 3, "dtm.compute.v1", 6, "dtm.macro.v1", 1));

        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("feed topic dtm.compute.v1 has 6 partitions but "
                + "dtm.topics.partitions is 3")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("feed topic dtm.macro.v1 has 1 partitions")));
        assertTrue(withPartitions(6).partitionWarnings(Map.of("dtm.trade.v1", 6)).isEmpty());
    }

    @Test
    void shouldRefuseAlertInputsWithAnotherPartitionCountThanTheRulesReach() {
        List<String> errors = withPartitions(3).partitionErrors(
                java.util.Map.of("dtm.indicators.v1", 6, "dtm.model-releases.v1", 3));

        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("topic dtm.indicators.v1 has 6 partitions but dtm.topics.partitions is 3"),
                errors.get(0));
        assertTrue(withPartitions(6).partitionErrors(java.util.Map.of("dtm.indicators.v1", 6,
                "dtm.model-releases.v1", 6)).isEmpty());
    }
}
