package io.dtm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtm.events.Feed;
import io.dtm.events.ModelSnapshot;
import io.dtm.events.ModelWindow;
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
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
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
    /** The rolling estimates by window end year, per model, as the model topology holds them at the end. */
    private final Map<String, Map<Integer, ModelWindow>> windows = new LinkedHashMap<>();

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
            KeyValueStore<String, ModelWindow> held = driver.getKeyValueStore(ModelTopology.WINDOW_STORE);
            try (KeyValueIterator<String, ModelWindow> it = held.all()) {
                it.forEachRemaining(kv -> windows.computeIfAbsent(kv.key.substring(0, kv.key.lastIndexOf('|')),
                        m -> new TreeMap<>()).put(kv.value.windowEnd(), kv.value));
            }
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
        for (ModelSnapshot.Term term : all.terms()) {
            Reference r = reference.stream().filter(x -> x.term().equals(term.term())).findFirst().orElseThrow();
            assertInference(model + " all " + term.term(), r, term.classical(), term.clustered());
        }
    }

    /**
     * Every window the service estimates equals plm's within fit of the rows of the window's years, with classical
     * and clustered standard errors, degrees of freedom and 95 % intervals on t quantiles (N - E - K and G - 1), to
     * 1e-8; the latest window is the snapshot's {@code rolling} estimate. An entity with a single row in a window
     * (two windows of the shipped {@code drivers} model have one) is out of N and G, in the service as in the
     * reference.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"drivers", "drivers-openness", "drivers-compute"})
    void everyWindowEqualsPlmWithinOnTheRowsOfItsYearsWithTIntervals(String model) {
        Map<Integer, List<Reference>> reference = reference(model + "-windows").stream()
                .collect(Collectors.groupingBy(Reference::windowEnd, TreeMap::new, Collectors.toList()));
        Map<Integer, ModelWindow> held = windows.get(model);
        assertNotNull(held, "no windows of " + model + "; models: " + windows.keySet());
        assertTrue(held.size() >= 2, model + " windows: " + held.keySet());
        for (ModelWindow w : held.values()) {
            List<Reference> r = reference.get(w.windowEnd());
            assertNotNull(r, model + ": no reference window ending in " + w.windowEnd() + "; reference: "
                    + reference.keySet());
            assertEquals("OK", w.status(), model + " " + w.windowEnd() + ": " + w.reason());
            assertEquals(r.get(0).rows(), w.rows(), model + " " + w.windowEnd() + " rows");
            assertEquals(r.get(0).observations(), w.observations(), model + " " + w.windowEnd() + " N");
            assertEquals(r.get(0).entities(), w.entities(), model + " " + w.windowEnd() + " G");
            assertEquals(w.windowEnd() - 4, w.firstYear(), model + " " + w.windowEnd() + " first year");
            assertEquals(r.stream().map(Reference::term).sorted().toList(),
                    w.terms().stream().map(ModelWindow.Term::term).sorted().toList(),
                    model + " " + w.windowEnd() + " terms");
            for (ModelWindow.Term t : w.terms()) {
                Reference ref = r.stream().filter(x -> x.term().equals(t.term())).findFirst().orElseThrow();
                String what = model + " window " + w.windowEnd() + " " + t.term();
                assertEquals(ref.coefficient(), t.coefficient(), 1e-8, what);
                assertInference(what, ref, t.classical(), t.clustered());
            }
        }
        ModelSnapshot.Estimate rolling = last.get(model).estimates().stream()
                .filter(e -> e.estimate().equals("rolling")).findFirst().orElseThrow();
        assertEquals(((java.util.NavigableMap<Integer, ModelWindow>) held).lastKey(), rolling.lastYear(),
                "the latest window is the rolling estimate");
    }

    private static void assertInference(String what, Reference r, ModelSnapshot.Inference classical,
            ModelSnapshot.Inference clustered) {
        assertEquals(r.seClassical(), classical.standardError(), 1e-8, what + " classical SE");
        assertEquals(r.seClustered(), clustered.standardError(), 1e-8, what + " clustered SE");
        assertEquals(r.dfClassical(), classical.df(), what + " classical df (N - E - K)");
        assertEquals(r.dfClustered(), clustered.df(), what + " clustered df (G - 1)");
        assertEquals(r.classicalLower(), classical.lower95(), 1e-8, what + " classical 95 % lower");
        assertEquals(r.classicalUpper(), classical.upper95(), 1e-8, what + " classical 95 % upper");
        assertEquals(r.clusteredLower(), clustered.lower95(), 1e-8, what + " clustered 95 % lower");
        assertEquals(r.clusteredUpper(), clustered.upper95(), 1e-8, what + " clustered 95 % upper");
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

    /** One row of a reference file (a window's: {@code windowEnd} set; the all-years estimate's: 0). */
    record Reference(int windowEnd, String term, double coefficient, double seClassical, double seClustered,
            int dfClassical, int dfClustered, double classicalLower, double classicalUpper, double clusteredLower,
            double clusteredUpper, int rows, int observations, int entities) {
    }

    /** The rows of {@code src/test/resources/reference/<name>.csv}, read by its header's column names. */
    static List<Reference> reference(String name) {
        Path file = Path.of("src/test/resources/reference", name + ".csv");
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.startsWith("#"))
                    .filter(l -> !l.isBlank()).toList();
            List<String> header = List.of(lines.get(0).split(","));
            return lines.stream().skip(1).map(l -> l.split(",")).map(c -> {
                java.util.function.Function<String, String> col = n -> c[header.indexOf(n)];
                return new Reference(header.contains("window_end") ? Integer.parseInt(col.apply("window_end")) : 0,
                        col.apply("term"), Double.parseDouble(col.apply("coefficient")),
                        Double.parseDouble(col.apply("se_classical")), Double.parseDouble(col.apply("se_clustered")),
                        Integer.parseInt(col.apply("df_classical")), Integer.parseInt(col.apply("df_clustered")),
                        Double.parseDouble(col.apply("ci_classical_lower")),
                        Double.parseDouble(col.apply("ci_classical_upper")),
                        Double.parseDouble(col.apply("ci_clustered_lower")),
                        Double.parseDouble(col.apply("ci_clustered_upper")),
                        Integer.parseInt(col.apply(header.contains("rows") ? "rows" : "observations")),
                        Integer.parseInt(col.apply("observations")), Integer.parseInt(col.apply("entities")));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
