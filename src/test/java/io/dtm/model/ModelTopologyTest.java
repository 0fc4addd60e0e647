package io.dtm.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.ModelSnapshot;
import io.dtm.events.ModelWindow;
import io.dtm.events.Observation;
import io.dtm.events.RowDelta;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.ModelGauges;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.dtm.support.Drivers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The model sub-topology on observations: rows assembled from the inputs, estimates equal to a batch fit. */
class ModelTopologyTest {

    private static final Map<String, ModelSpec> SPECS = ModelTopology.byName(ModelSpec.load("classpath:models-six-terms.yaml"));
    private static final List<String> ENTITIES = List.of("AUS", "CHN", "IDN", "JPN", "KOR", "MYS", "NZL", "PHL",
            "SGP", "THA", "VNM", "KHM");

    @TempDir
    Path stateDir;

    private SimpleMeterRegistry registry;

    private TopologyTestDriver driver() {
        registry = new SimpleMeterRegistry();
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-test");
        ModelTopology.build(builder, SPECS, new DtmMetrics(registry), new ModelGauges(registry),
                Stores::inMemoryKeyValueStore);
        return Drivers.of(builder.build(), stateDir);
    }

    /** A panel of the default model's inputs for 12 economies × 2014–2023, from a seeded process. */
    static List<Observation> panel(long seed) {
        return panel(seed, ENTITIES);
    }

    /** A panel of the default model's inputs for {@code entities} × 2014–2023, from a seeded process. */
    static List<Observation> panel(long seed, List<String> entities) {
        Random r = new Random(seed);
        List<Observation> out = new ArrayList<>();
        for (String c : entities) {
            double scale = 1 + r.nextDouble() * 3;
            for (int year = 2013; year <= 2023; year++) {
                String y = Integer.toString(year);
                double gdp = 1e11 * scale * Math.exp(0.04 * (year - 2013) + 0.05 * r.nextGaussian());
                double infra = Math.min(99, 40 + 4 * (year - 2013) + 5 * r.nextGaussian());
                double ict = 1e9 * scale * Math.exp(0.06 * (year - 2013) + 0.1 * r.nextGaussian());
                double compute = 0.5 * scale * Math.exp(0.3 * (year - 2013) + 0.1 * r.nextGaussian());
                double dds = 1e9 * scale * Math.exp(0.8 * Math.log(gdp / 1e11) + 0.01 * infra + 0.2 * r.nextGaussian());
                out.add(obs("macro", c, "", "", "GDP_USD", y, gdp));
                out.add(obs("compute", c, "", "", "INTERNET_USERS_PCT", y, infra));
                out.add(obs("trade", c, "WLD", "EXPORT", "ICT", y, ict));
                out.add(obs("compute", c, "", "", "INTELLIGENT_EFLOPS_FP16", y, compute));
                if (year > 2013) {
                    out.add(obs("trade", c, "WLD", "EXPORT", "DDS", y, dds));
                }
            }
            out.add(obs("policy", c, "", "", "DSTRI", "2012-01-01", 0.2 + 0.2 * r.nextDouble()));
            out.add(obs("policy", c, "", "", "DSTRI", (2015 + r.nextInt(6)) + "-06-30", 0.1 + 0.2 * r.nextDouble()));
            out.add(obs("policy", c, "", "", "RCEP_ENTRY_INTO_FORCE", "2022-01-01", null));
        }
        return out;
    }

    private static Observation obs(String feed, String reporter, String partner, String flow, String category,
            String period, Double value) {
        return new Observation(feed, reporter, partner, flow, category, period, value, "USD", "2025-01-01", "urn:t",
                feed + reporter + category + period, null, null, null, null, false);
    }

    /** The rows of the default model built by hand from the observations. */
    static List<Row> rows(List<Observation> observations) {
        return rows(observations, ENTITIES);
    }

    static List<Row> rows(List<Observation> observations, List<String> entities) {
        List<Row> rows = new ArrayList<>();
        for (String c : entities) {
            for (int year = 2014; year <= 2023; year++) {
                double y = Math.log(find(observations, c, "DDS", year).value());
                double gdp = Math.log(find(observations, c, "GDP_USD", year).value());
                double infra = find(observations, c, "INTERNET_USERS_PCT", year).value() / 100;
                double ict = Math.log(find(observations, c, "ICT", year - 1).value());
                double compute = Math.log(find(observations, c, "INTELLIGENT_EFLOPS_FP16", year).value());
                Observation dstri = null;
                for (Observation o : observations) {
                    if (o.reporter().equals(c) && o.category().equals("DSTRI")
                            && o.period().compareTo(year + "-12-31") <= 0
                            && (dstri == null || o.period().compareTo(dstri.period()) > 0)) {
                        dstri = o;
                    }
                }
                rows.add(new Row(c, year, y, new double[] {gdp, 1 - dstri.value(), infra, ict, compute,
                        year >= 2022 ? 1 : 0}));
            }
        }
        return rows;
    }

    private static Observation find(List<Observation> all, String reporter, String category, int year) {
        return all.stream().filter(o -> o.reporter().equals(reporter) && o.category().equals(category)
                && o.period().equals(Integer.toString(year))).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "arrival order {0}")
    @ValueSource(longs = {1, 2, 3})
    void shouldEstimateLikeABatchFitOfTheSameRowsInAnyArrivalOrder(long order) {
        List<Observation> observations = panel(42);
        List<Observation> shuffled = new ArrayList<>(observations);
        Collections.shuffle(shuffled, new Random(order));
        ModelSnapshot last;
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, Observation> in = driver.createInputTopic(Topics.OBSERVATIONS.name(),
                    Topics.OBSERVATIONS.keySerde().serializer(), Topics.OBSERVATIONS.valueSerde().serializer());
            TestOutputTopic<String, ModelSnapshot> out = driver.createOutputTopic(Topics.MODEL.name(),
                    Topics.MODEL.keySerde().deserializer(), Topics.MODEL.valueSerde().deserializer());
            shuffled.forEach(o -> in.pipeInput(o.series().withPeriod(o.period()), o));
            List<ModelSnapshot> snapshots = out.readValuesToList();
            last = snapshots.get(snapshots.size() - 1);
            assertEquals(snapshots.size(), last.seq(), "one snapshot per changed row, numbered");

            Estimate batch = PanelEstimator.estimate(PanelAccumulator.of(6, rows(observations)),
                    SPECS.get("drivers").termNames());
            ModelSnapshot.Estimate all = last.estimates().get(0);
            assertEquals("all", all.estimate());
            assertEquals(batch.observations(), all.observations());
            for (ModelSnapshot.Term t : all.terms()) {
                Coefficient expected = batch.coefficient(t.term()).orElseThrow();
                assertClose(expected.estimate(), t.coefficient(), t.term());
                assertClose(expected.classical().standardError(), t.classical().standardError(), t.term());
                assertClose(expected.clustered().standardError(), t.clustered().standardError(), t.term());
            }
            ModelSnapshot.Estimate rolling = last.estimates().get(1);
            assertEquals(2019, rolling.firstYear());
            assertEquals(2023, rolling.lastYear());
            Estimate window = PanelEstimator.estimate(PanelAccumulator.of(6, rows(observations).stream()
                    .filter(r -> r.year() >= 2019).toList()), SPECS.get("drivers").termNames());
            assertEquals(window.observations(), rolling.observations());
            for (ModelSnapshot.Term t : rolling.terms()) {
                assertClose(window.coefficient(t.term()).orElseThrow().estimate(), t.coefficient(), t.term());
            }
            assertEquals(batch.coefficient("ln_gdp").orElseThrow().estimate(), registry.get("dtm.model.coefficient")
                    .tags("model", "drivers", "estimate", "all", "term", "ln_gdp").gauge().value(), 1e-9);

            driver.advanceWallClockTime(Duration.ofSeconds(3));
            assertTrue(registry.find("dtm.model.stability.ratio").tags("model", "drivers").gauge().value() > 0,
                    "the stability ratio after the debounce");
            List<ModelSnapshot> tested = out.readValuesToList();
            ModelSnapshot.Shift shift = tested.get(tested.size() - 1).stability().shift();
            ShiftResult expected = ShiftTest.test(rows(observations), new RollingWindow(2019, 2023),
                    SPECS.get("drivers").termNames());
            assertEquals(expected.status().name(), shift.status(), shift.reason());
            assertEquals(2019, shift.windowFirst());
            assertEquals(expected.terms().size(), shift.terms().size());
            for (ModelSnapshot.ShiftTerm t : shift.terms()) {
                assertEquals(t.bootstrapP(), registry.get("dtm.model.shift.p.value").tags("model", "drivers", "term",
                        t.term()).gauge().value(), t.term());
            }
            if (expected.joint() != null) {
                assertEquals(expected.joint().bootstrapP(), registry.get("dtm.model.shift.p.value")
                        .tags("model", "drivers", "term", "joint").gauge().value());
            } else {
                assertTrue(registry.find("dtm.model.shift.p.value").tags("term", "joint").gauges().isEmpty(),
                        "no joint test: no sample, not 0");
            }
            for (String untested : expected.untested()) {
                assertTrue(registry.find("dtm.model.shift.p.value").tags("term", untested).gauges().isEmpty(),
                        untested + " not tested: no sample");
            }
        }
    }

    @Test
    void shouldStoreAndExportTheEstimateOfEveryWindowEndYearAndOnlyThoseARevisionTouches() {
        List<Observation> observations = panel(43);
        List<String> terms = SPECS.get("drivers").termNames();
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, Observation> in = driver.createInputTopic(Topics.OBSERVATIONS.name(),
                    Topics.OBSERVATIONS.keySerde().serializer(), Topics.OBSERVATIONS.valueSerde().serializer());
            observations.forEach(o -> in.pipeInput(o.series().withPeriod(o.period()), o));
            KeyValueStore<String, ModelWindow> store = driver.getKeyValueStore(ModelTopology.WINDOW_STORE);
            Map<Integer, ModelWindow> before = windows(store);
            assertEquals(List.of(2018, 2019, 2020, 2021, 2022, 2023), List.copyOf(before.keySet()),
                    "windows of 5 years from 2014–2018 to 2019–2023");
            for (ModelWindow w : before.values()) {
                assertWindow(PanelEstimator.estimate(PanelAccumulator.of(6, rows(observations).stream()
                        .filter(r -> r.year() > w.windowEnd() - 5 && r.year() <= w.windowEnd()).toList()), terms), w);
            }

            Observation revised = new Observation("macro", "KOR", "", "", "GDP_USD", "2020", 9e11, "USD",
                    "2026-01-01", "urn:revision", "gdp-kor-2020-rev", null, null, null, null, false);
            in.pipeInput(revised.series().withPeriod("2020"), revised);
            List<Observation> after = observations.stream().map(o -> o.reporter().equals("KOR")
                    && o.category().equals("GDP_USD") && o.period().equals("2020") ? revised : o).toList();
            Map<Integer, ModelWindow> now = windows(store);
            for (ModelWindow w : now.values()) {
                if (w.windowEnd() < 2020) {
                    assertEquals(before.get(w.windowEnd()), w, "window " + w.windowEnd() + " does not hold 2020");
                } else {
                    assertNotEquals(before.get(w.windowEnd()).terms().get(0).coefficient(),
                            w.terms().get(0).coefficient(), "window " + w.windowEnd());
                }
                assertWindow(PanelEstimator.estimate(PanelAccumulator.of(6, rows(after).stream()
                        .filter(r -> r.year() > w.windowEnd() - 5 && r.year() <= w.windowEnd()).toList()), terms), w);
            }
        }
    }

    private static Map<Integer, ModelWindow> windows(KeyValueStore<String, ModelWindow> store) {
        Map<Integer, ModelWindow> windows = new java.util.TreeMap<>();
        try (KeyValueIterator<String, ModelWindow> it = store.all()) {
            it.forEachRemaining(kv -> {
                assertEquals("drivers|" + kv.value.windowEnd(), kv.key);
                windows.put(kv.value.windowEnd(), kv.value);
            });
        }
        return windows;
    }

    /** A stored window against the batch estimate of its rows, and its gauges. */
    private void assertWindow(Estimate expected, ModelWindow actual) {
        String end = Integer.toString(actual.windowEnd());
        assertEquals("OK", actual.status(), actual.reason());
        assertEquals(actual.windowEnd() - 4, actual.firstYear());
        assertEquals(expected.observations(), actual.observations(), end);
        assertEquals(expected.entities(), actual.entities(), end);
        assertEquals(expected.coefficients().size(), actual.terms().size(), end);
        for (ModelWindow.Term t : actual.terms()) {
            Coefficient c = expected.coefficient(t.term()).orElseThrow();
            assertClose(c.estimate(), t.coefficient(), end + " " + t.term());
            assertClose(c.clustered().lower95(), t.clustered().lower95(), end + " " + t.term());
            assertClose(c.classical().upper95(), t.classical().upper95(), end + " " + t.term());
            assertEquals(t.coefficient(), registry.get("dtm.model.window.coefficient")
                    .tags("model", "drivers", "term", t.term(), "window_end", end).gauge().value());
            assertEquals(t.clustered().lower95(), registry.get("dtm.model.window.ci.lower")
                    .tags("model", "drivers", "term", t.term(), "window_end", end, "type", "clustered").gauge()
                    .value());
            assertEquals(t.classical().upper95(), registry.get("dtm.model.window.ci.upper")
                    .tags("model", "drivers", "term", t.term(), "window_end", end, "type", "classical").gauge()
                    .value());
        }
    }

    @Test
    void shouldNameTheTriggeringEventAndTheChangeItCaused() {
        List<Observation> observations = panel(7);
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, Observation> in = driver.createInputTopic(Topics.OBSERVATIONS.name(),
                    Topics.OBSERVATIONS.keySerde().serializer(), Topics.OBSERVATIONS.valueSerde().serializer());
            TestOutputTopic<String, ModelSnapshot> out = driver.createOutputTopic(Topics.MODEL.name(),
                    Topics.MODEL.keySerde().deserializer(), Topics.MODEL.valueSerde().deserializer());
            observations.forEach(o -> in.pipeInput(o.series().withPeriod(o.period()), o));
            List<ModelSnapshot> before = out.readValuesToList();
            ModelSnapshot previous = before.get(before.size() - 1);

            Observation revised = new Observation("macro", "KOR", "", "", "GDP_USD", "2020", 9e11, "USD",
                    "2026-01-01", "urn:revision", "gdp-kor-2020-rev", null, null, null, null, false);
            in.pipeInput(revised.series().withPeriod("2020"), revised);

            ModelSnapshot next = out.readValue();
            assertEquals("gdp-kor-2020-rev", next.trigger().id());
            assertEquals("urn:revision", next.trigger().source());
            assertEquals("2026-01-01", next.trigger().vintage());
            assertEquals(2020, next.trigger().year());
            assertEquals("macro|KOR|||GDP_USD", next.trigger().series(), "the series that moved the coefficients");
            ModelSnapshot.Term gdp = next.estimates().get(0).terms().get(0);
            ModelSnapshot.Term old = previous.estimates().get(0).terms().get(0);
            assertEquals(gdp.coefficient() - old.coefficient(), gdp.change(), 1e-12);
            assertNotNull(next.estimates().get(0).ranking());
        }
    }

    @Test
    void shouldDropTheRowOfAWithdrawnObservationAndTakeItBackWhenTheObservationReturns() {
        List<Observation> observations = panel(42);
        Observation dds = find(observations, "KOR", "DDS", 2020);
        String key = dds.series().withPeriod(dds.period());
        List<Row> without = rows(observations).stream()
                .filter(r -> !(r.entity().equals("KOR") && r.year() == 2020)).toList();
        assertEquals(rows(observations).size() - 1, without.size());
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, Observation> in = driver.createInputTopic(Topics.OBSERVATIONS.name(),
                    Topics.OBSERVATIONS.keySerde().serializer(), Topics.OBSERVATIONS.valueSerde().serializer());
            TestOutputTopic<String, ModelSnapshot> out = driver.createOutputTopic(Topics.MODEL.name(),
                    Topics.MODEL.keySerde().deserializer(), Topics.MODEL.valueSerde().deserializer());
            observations.forEach(o -> in.pipeInput(o.series().withPeriod(o.period()), o));
            out.readValuesToList();

            in.pipeInput(key, null); // the tombstone a retraction writes
            List<ModelSnapshot> afterWithdrawal = out.readValuesToList();
            assertEquals(1, afterWithdrawal.size(), "one row changed: KOR 2020 removed");
            ModelSnapshot withdrawn = afterWithdrawal.get(0);
            assertEquals("KOR", withdrawn.trigger().entity());
            assertEquals(2020, withdrawn.trigger().year());
            assertEquals(dds.series().toString(), withdrawn.trigger().series(), "the withdrawn series");
            assertSameFit(PanelEstimator.estimate(PanelAccumulator.of(6, without), SPECS.get("drivers").termNames()),
                    withdrawn.estimates().get(0));

            in.pipeInput(key, dds);
            List<ModelSnapshot> afterReturn = out.readValuesToList();
            assertEquals(1, afterReturn.size());
            assertSameFit(PanelEstimator.estimate(PanelAccumulator.of(6, rows(observations)),
                    SPECS.get("drivers").termNames()), afterReturn.get(0).estimates().get(0));

            // a tombstone of a series the model does not read, and one of a key never seen, change nothing
            in.pipeInput("trade|KOR|WLD|EXPORT|GOODS|2020", null);
            in.pipeInput("macro|KOR|||GDP_USD|1999", null);
            assertTrue(out.readValuesToList().isEmpty());
        }
    }

    @Test
    void shouldCountARowToRemoveThatIsNotInThePanelAndGoOn() {
        List<Observation> observations = panel(42);
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, Observation> in = driver.createInputTopic(Topics.OBSERVATIONS.name(),
                    Topics.OBSERVATIONS.keySerde().serializer(), Topics.OBSERVATIONS.valueSerde().serializer());
            TestInputTopic<String, RowDelta> deltas = driver.createInputTopic("dtm-test-model-by-model-repartition",
                    Serdes.String().serializer(), JsonSerde.of(RowDelta.class).serializer());
            TestOutputTopic<String, ModelSnapshot> out = driver.createOutputTopic(Topics.MODEL.name(),
                    Topics.MODEL.keySerde().deserializer(), Topics.MODEL.valueSerde().deserializer());
            observations.forEach(o -> in.pipeInput(o.series().withPeriod(o.period()), o));
            out.readValuesToList();
            assertEquals(0, mismatches());

            RowDelta.PanelRow stranger = new RowDelta.PanelRow(1, List.of(1.0, 2.0, 3.0, 4.0, 5.0, 0.0));
            deltas.pipeInput("drivers", new RowDelta("drivers", "ZZZ", 2020, stranger, null,
                    new ModelSnapshot.Trigger("urn:t", "x", "2025-01-01", "ZZZ", 2020)));
            assertEquals(1, mismatches());
            List<ModelSnapshot> after = out.readValuesToList();
            assertEquals(1, after.size(), "the model went on");
            assertSameFit(PanelEstimator.estimate(PanelAccumulator.of(6, rows(observations)),
                    SPECS.get("drivers").termNames()), after.get(0).estimates().get(0));

            Observation revised = new Observation("macro", "KOR", "", "", "GDP_USD", "2020", 9e11, "USD",
                    "2026-01-01", "urn:revision", "gdp-kor-2020-rev", null, null, null, null, false);
            in.pipeInput(revised.series().withPeriod("2020"), revised);
            assertEquals(1, out.readValuesToList().size(), "and still estimates");
        }
    }

    private double mismatches() {
        var counter = registry.find("dtm.model.rows.mismatched").tags("model", "drivers").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldExportNoStatisticThatWasNotComputed() {
        List<Observation> observations = panel(42, List.of("AUS", "CHN")).stream()
                .filter(o -> o.period().compareTo("2016") < 0).toList();
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, Observation> in = driver.createInputTopic(Topics.OBSERVATIONS.name(),
                    Topics.OBSERVATIONS.keySerde().serializer(), Topics.OBSERVATIONS.valueSerde().serializer());
            TestOutputTopic<String, ModelSnapshot> out = driver.createOutputTopic(Topics.MODEL.name(),
                    Topics.MODEL.keySerde().deserializer(), Topics.MODEL.valueSerde().deserializer());
            observations.forEach(o -> in.pipeInput(o.series().withPeriod(o.period()), o));
            List<ModelSnapshot> snapshots = out.readValuesToList();
            ModelSnapshot.Estimate all = snapshots.get(snapshots.size() - 1).estimates().get(0);
            assertEquals("NOT_IDENTIFIED", all.status());
            assertEquals(null, all.rSquared());
            ModelWindow window = driver.<String, ModelWindow>getKeyValueStore(ModelTopology.WINDOW_STORE)
                    .get("drivers|2015");
            assertEquals("NOT_IDENTIFIED", window.status(), "the window is served, with why it was not computed");
            assertEquals(null, window.rSquared());
            driver.advanceWallClockTime(Duration.ofSeconds(3));
            ModelSnapshot.Stability stability = out.readValuesToList().get(0).stability();
            assertFalse("OK".equals(stability.status()), stability.status());
            assertEquals(null, stability.ratio());

            assertTrue(registry.find("dtm.model.observations").tags("model", "drivers", "estimate", "all").gauge()
                    .value() > 0, "the rows are counted");
            for (String name : List.of("dtm.model.r.squared", "dtm.model.coefficient", "dtm.model.p.value",
                    "dtm.model.ci.lower", "dtm.model.ci.upper", "dtm.model.stability.ratio",
                    "dtm.model.window.coefficient", "dtm.model.window.ci.lower", "dtm.model.window.ci.upper")) {
                assertTrue(registry.find(name).tag("model", "drivers").gauges().isEmpty(), name + " not exported");
            }
        }
    }

    private static void assertSameFit(Estimate expected, ModelSnapshot.Estimate actual) {
        assertEquals(expected.observations(), actual.observations());
        for (ModelSnapshot.Term t : actual.terms()) {
            assertClose(expected.coefficient(t.term()).orElseThrow().estimate(), t.coefficient(), t.term());
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-8 * Math.max(1, Math.abs(expected)), what);
    }
}
