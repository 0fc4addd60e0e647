package io.dtm.support;

import io.dtm.events.Feed;
import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.indicators.Catalogue;
import io.dtm.indicators.IndicatorsTopology;
import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The ingest and indicators sub-topologies in one {@link TopologyTestDriver} (stores in memory), wired as the
 * service wires them when both roles run in one application: feed topics in, indicators out.
 */
public final class PipelineDriver implements AutoCloseable {

    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final IndicatorGauges gauges = new IndicatorGauges(registry, 30, 10_000);
    private final TopologyTestDriver driver;
    private final TestOutputTopic<String, IndicatorValue> indicators;
    private final Map<String, IndicatorValue> latest = new TreeMap<>();
    private final TestOutputTopic<String, Observation> observationTopic;
    private final Map<String, Observation> latestObservations = new TreeMap<>();

    /** The pipeline with the default indicator catalogue. */
    public PipelineDriver(Path stateDir) {
        this(stateDir, Catalogue.load("classpath:indicators.yaml"));
    }

    public PipelineDriver(Path stateDir, Catalogue catalogue) {
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-test");
        DtmMetrics metrics = new DtmMetrics(registry);
        var observations = IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64, 3,
                Stores::inMemoryKeyValueStore, TestClock.FIXED);
        IndicatorsTopology.build(builder, Optional.of(observations), catalogue, null, metrics, gauges,
                Stores::inMemoryKeyValueStore);
        driver = Drivers.of(builder.build(), stateDir);
        indicators = driver.createOutputTopic(Topics.INDICATORS.name(), Topics.INDICATORS.keySerde().deserializer(),
                Topics.INDICATORS.valueSerde().deserializer());
        observationTopic = driver.createOutputTopic(Topics.OBSERVATIONS.name(),
                Topics.OBSERVATIONS.keySerde().deserializer(), Topics.OBSERVATIONS.valueSerde().deserializer());
    }

    /** The observations as the compacted {@code dtm.observations.v1} would hold them: tombstones remove a key. */
    public Map<String, Observation> observations() {
        for (TestRecord<String, Observation> r : observationTopic.readRecordsToList()) {
            if (r.value() == null) {
                latestObservations.remove(r.key());
            } else {
                latestObservations.put(r.key(), r.value());
            }
        }
        return latestObservations;
    }

    /** Publishes one record to a feed topic. */
    public void send(Feed feed, Headers headers, Object value) {
        TestInputTopic<byte[], byte[]> topic = driver.createInputTopic(Topics.of(feed).name(),
                Topics.of(feed).keySerde().serializer(), Topics.of(feed).valueSerde().serializer());
        topic.pipeInput(new TestRecord<>(TestEvents.bytes("k"), TestEvents.bytes(value), headers));
    }

    /**
     * The indicator values as a compacted topic would hold them: the last value per key, tombstones removed; lets a
     * second of wall-clock time pass first, so that the gauges are published.
     */
    public Map<String, IndicatorValue> indicators() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        for (TestRecord<String, IndicatorValue> r : indicators.readRecordsToList()) {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        }
        return latest;
    }

    @Override
    public void close() {
        driver.close();
    }
}
