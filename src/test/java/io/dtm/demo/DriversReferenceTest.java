package io.dtm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtm.events.Feed;
import io.dtm.events.ModelSnapshot;
import io.dtm.imports.ImportItem;
import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.ModelGauges;
import io.dtm.model.ModelSpec;
import io.dtm.model.ModelTopology;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.dtm.support.Drivers;
import io.dtm.support.TestClock;
import io.dtm.support.TestEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped drivers models ({@code src/main/resources/models.yaml}) on the demo publications equal an independent
 * fit. The publications go through the importer with the shipped dataset mappings, then through ingest and the
 * model topology (one {@link TopologyTestDriver}), together with the demo's other events (the RCEP dates among
 * them); each model's last snapshot must have the coefficients that {@code src/test/r/drivers-reference.R} got from
 * plm's within estimator on the panel it rebuilt from the same files in R ({@code src/test/resources/reference}),
 * to 1e-8, over the same rows and members.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriversReferenceTest {

    /** The shipped models (the tests' profile points dtm.model.specs at a six-term fixture). */
    static final String SHIPPED_MODELS = "classpath:models.yaml";

    private final Map<String, ModelSnapshot> last = new LinkedHashMap<>();

    @BeforeAll
    void feedTheDemoPublicationsThroughThePipeline(@org.junit.jupiter.api.io.TempDir Path stateDir) {
        Map<String, ModelSpec> specs = new LinkedHashMap<>();
        ModelSpec.load(SHIPPED_MODELS).forEach(s -> specs.put(s.name(), s));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DtmMetrics metrics = new DtmMetrics(registry);
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-test");
        IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64, 3,
                Stores::inMemoryKeyValueStore, TestClock.FIXED);
        ModelTopology.build(builder, specs, metrics, new ModelGauges(registry), Stores::inMemoryKeyValueStore);
        try (TopologyTestDriver driver = Drivers.of(builder.build(), stateDir)) {
            Map<Feed, TestInputTopic<byte[], byte[]>> feeds = new EnumMap<>(Feed.class);
            for (Feed feed : Feed.values()) {
                feeds.put(feed, driver.createInputTopic(Topics.of(feed).name(), Serdes.ByteArray().serializer(),
                        Serdes.ByteArray().serializer()));
            }
            TestOutputTopic<String, ModelSnapshot> out = driver.createOutputTopic(Topics.MODEL.name(),
                    Topics.MODEL.keySerde().deserializer(), Topics.MODEL.valueSerde().deserializer());
            for (DemoPublications.Publication publication : DemoPublications.all()) {
                DemoPublications.Imported imported = DemoPublications.read(publication);
                assertTrue(imported.report().rejected() <= imported.report().read() / 10,
                        publication.file() + ": " + imported.report());
                for (ImportItem.Event event : imported.events()) {
                    feeds.get(event.feed()).pipeInput(new TestRecord<>(TestEvents.bytes(event.key()), event.json(),
                            TestEvents.structuredHeaders()));
                }
            }
            for (JsonNode event : DemoDataSet.events()) {
                Feed feed = Feed.ofEventType(event.get("type").asText()).orElseThrow();
                feeds.get(feed).pipeInput(new TestRecord<>(TestEvents.bytes("demo"),
                        event.toString().getBytes(StandardCharsets.UTF_8), TestEvents.structuredHeaders()));
            }
            out.readValuesToList().forEach(snapshot -> last.put(snapshot.model(), snapshot));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"drivers", "drivers-openness", "drivers-compute"})
    void allYearsEstimateEqualsPlmWithinOnThePanelRebuiltFromTheFiles(String model) {
        List<Reference> reference = reference(model);
        ModelSnapshot snapshot = last.get(model);
        assertNotNull(snapshot, "no snapshot of " + model + "; models: " + last.keySet());
        ModelSnapshot.Estimate all = snapshot.estimates().stream().filter(e -> e.estimate().equals("all"))
                .findFirst().orElseThrow();
        assertEquals("OK", all.status(), all.reason());
        Reference first = reference.get(0);
        assertEquals(first.observations(), all.observations(), "rows");
        assertEquals(first.entities(), all.entities(), "members");
        Map<String, Double> coefficients = all.terms().stream()
                .collect(Collectors.toMap(ModelSnapshot.Term::term, ModelSnapshot.Term::coefficient));
        assertEquals(reference.stream().map(Reference::term).sorted().toList(),
                coefficients.keySet().stream().sorted().toList(), "terms estimated");
        for (Reference r : reference) {
            assertEquals(r.coefficient(), coefficients.get(r.term()), 1e-8, model + " " + r.term());
        }
        assertFalse(all.terms().stream().anyMatch(t -> !Double.isFinite(t.clustered().standardError())));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"drivers", "drivers-openness", "drivers-compute"})
    void everyModelHasItsRollingWindowOfFiveYears(String model) {
        ModelSnapshot.Estimate rolling = last.get(model).estimates().stream()
                .filter(e -> e.estimate().equals("rolling")).findFirst().orElseThrow();
        assertNotNull(rolling.lastYear(), rolling.toString());
        assertEquals(4, rolling.lastYear() - rolling.firstYear(), rolling.toString());
        assertTrue(rolling.observations() > 0, rolling.toString());
    }

    /** One row of a reference file. */
    record Reference(String term, double coefficient, int observations, int entities) {
    }

    static List<Reference> reference(String model) {
        Path file = Path.of("src/test/resources/reference", model + ".csv");
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.startsWith("#") && !l.startsWith("model,"))
                    .filter(l -> !l.isBlank()).map(l -> l.split(",")).map(c -> new Reference(c[2],
                            Double.parseDouble(c[3]), Integer.parseInt(c[6]), Integer.parseInt(c[7])))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
