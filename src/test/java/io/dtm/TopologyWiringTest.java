package io.dtm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.DtmMetrics;
import io.dtm.streams.TopologyProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** How the parts of the topology are wired: which internal topics they go through. */
class TopologyWiringTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DtmMetrics metrics = new DtmMetrics(registry);

    @Test
    void shouldDeduplicateAndResolveVintagesBehindOneRepartition() {
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-ingest");
        IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), Stores::inMemoryKeyValueStore);

        assertEquals(Set.of("ingest-vintage-repartition"), repartitions(sourceTopics(builder)));
    }

    private static Set<String> repartitions(Set<String> topics) {
        Set<String> found = new TreeSet<>();
        topics.stream().filter(t -> t.endsWith("-repartition")).forEach(found::add);
        return found;
    }

    private static Set<String> sourceTopics(StreamsBuilder builder) {
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : builder.build().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    topics.addAll(source.topicSet());
                }
            }
        }
        return topics;
    }
}
