package io.dtm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.indicators.Catalogue;
import io.dtm.indicators.IndicatorsTopology;
import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.dtm.support.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** How the ingest and indicators parts are wired: in process when they share an application, by topic when not. */
class TopologyWiringTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DtmMetrics metrics = new DtmMetrics(registry);
    private final IndicatorGauges gauges = new IndicatorGauges(registry, 30, 10_000);
    private final Catalogue catalogue = Catalogue.load("classpath:indicators.yaml");

    /** Ingest and indicators in one application, as the service wires them. */
    private StreamsBuilder bothRoles() {
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-indicators-ingest");
        var winners = IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64, 3,
                Stores::inMemoryKeyValueStore, TestClock.FIXED);
        IndicatorsTopology.build(builder, Optional.of(winners), catalogue, null, metrics, gauges,
                Stores::inMemoryKeyValueStore);
        return builder;
    }

    @Test
    void shouldHandWinningObservationsToIndicatorsInProcessWhenBothRolesRunTogether() {
        StreamsBuilder builder = bothRoles();

        Set<String> sources = sourceTopics(builder);
        assertFalse(sources.contains(Topics.OBSERVATIONS.name()), "observations not read back: " + sources);
        assertEquals(Set.of("ingest-vintage-repartition",
                "indicators-by-group-repartition"), repartitions(sources));
        assertTrue(sinkTopics(builder).contains(Topics.OBSERVATIONS.name()), "observations still written");
    }

    @Test
    void shouldReadTheObservationsTopicWhenTheIndicatorsRoleRunsAlone() {
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-indicators");
        IndicatorsTopology.build(builder, catalogue, null, metrics, gauges, Stores::inMemoryKeyValueStore);

        Set<String> sources = sourceTopics(builder);
        assertTrue(sources.contains(Topics.OBSERVATIONS.name()), "observations read: " + sources);
        assertEquals(Set.of("indicators-by-group-repartition", "indicators-by-series-repartition"),
                repartitions(sources));
    }

    @Test
    void shouldResolveVintagesInTheTaskThatReadsTheFeedsWithTheRepartitionAsASecondInput() {
        TopologyDescription.Subtopology vintage = bothRoles().build().describe().subtopologies().stream()
                .filter(sub -> sub.nodes().stream().anyMatch(n -> n.name().equals("ingest-resolve-vintage")))
                .findFirst().orElseThrow();
        Set<String> sources = new TreeSet<>();
        Set<String> processors = new TreeSet<>();
        for (TopologyDescription.Node node : vintage.nodes()) {
            if (node instanceof TopologyDescription.Source source) {
                sources.addAll(source.topicSet());
            }
            processors.add(node.name());
        }
        assertTrue(sources.containsAll(Topics.feeds().stream().map(t -> t.name()).toList()), "feeds: " + sources);
        assertTrue(sources.contains("ingest-vintage-repartition"), "the repartition comes back here: " + sources);
        assertTrue(processors.containsAll(Set.of("ingest-parse", "ingest-on-series-partition",
                "indicators-compute-series")), "one task from the feed to the indicators over time: " + processors);
    }

    @Test
    void shouldDeduplicateAndResolveVintagesBehindOneRepartition() {
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-ingest");
        IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64, 3,
                Stores::inMemoryKeyValueStore, TestClock.FIXED);

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

    private static Set<String> sinkTopics(StreamsBuilder builder) {
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : builder.build().describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    topics.add(sink.topic());
                }
            }
        }
        return topics;
    }
}
