package io.dtm.bench;

import io.dtm.indicators.Catalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What every phase of {@link ThroughputBenchmark} works with: the options, this run's id, the catalogue, the
 * synthetic events and what the pipeline must do with them, and the broker.
 */
final class Bench {

    private final ThroughputOptions options;
    private final Catalogue catalogue;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final String generated;
    private SyntheticTrade.Data data;

    private Bench(ThroughputOptions options, Catalogue catalogue, SyntheticTrade.Data data, String generated) {
        this.options = options;
        this.catalogue = catalogue;
        this.data = data;
        this.generated = generated;
    }

    /** Generates the events ({@link SyntheticTrade}) with the default catalogue. */
    static Bench generate(ThroughputOptions options) {
        Catalogue catalogue = Catalogue.load("classpath:indicators.yaml");
        long g0 = System.nanoTime();
        SyntheticTrade.Data data = SyntheticTrade.generate(options.events(), options.seed(), catalogue,
                options.keyBySeries());
        long nanos = System.nanoTime() - g0;
        long bytes = data.events().stream().mapToLong(e -> e.value().length).sum();
        String generated = String.format(Locale.ROOT, "generated          %d events (%d cells + %d revisions), %.1f MB"
                + " of JSON in %.1f s; %d indicator inputs if no event is stale", options.events(), data.cells(),
                data.revisions(), bytes / 1e6, nanos / 1e9, data.placements());
        return new Bench(options, catalogue, data, generated);
    }

    ThroughputOptions options() {
        return options;
    }

    /** N, the events every phase processes. */
    int events() {
        return options.events();
    }

    Catalogue catalogue() {
        return catalogue;
    }

    /** What the events are and what the pipeline must do with them (the events themselves once taken: none). */
    SyntheticTrade.Data data() {
        return data;
    }

    /** The detail line on the generated events. */
    String generated() {
        return generated;
    }

    /** The events to publish, given once: they are not kept here after (the heap is then the phases'). */
    List<SyntheticTrade.Event> takeEvents() {
        List<SyntheticTrade.Event> events = data.events();
        data = new SyntheticTrade.Data(List.of(), data.cells(), data.periods(), data.revisions(),
                data.revisedCellPlacements(), data.placements());
        return events;
    }

    /** The {@code application.id} (or client id) of this run's {@code kind} of client. */
    String appId(String kind) {
        return "dtm-bench-" + kind + "-" + runId;
    }

    /** A meter of the phase {@code name}, with the broker's CPU when its process is known. */
    Meter meter(String name) {
        return new Meter(name, options.broker(), options.ticksPerSecond());
    }

    /** Creates the topics the phases read and write; those that exist are left as they are. */
    void createTopics() throws Exception {
        BenchKafka.createTopics(options.bootstrap(), BenchKafka.throughputTopics());
    }

    /** The committed records of a topic, counted; their keys added to {@code keys} unless null. */
    long countCommitted(String topic, Set<String> keys) {
        return BenchKafka.countCommitted(options.bootstrap(), appId("check"), topic, keys, options.timeout());
    }

    /** The Kafka Streams settings of an application: the service's, with the options' commit interval and threads. */
    Properties streamsConfig(String appId) throws IOException {
        Path dir = options.stateDir().resolve(appId);
        Files.createDirectories(dir);
        Properties props = BenchKafka.streamsProperties(appId, options.bootstrap(), dir, options.commitIntervalMs(),
                options.threads());
        props.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "INFO");
        return props;
    }
}
