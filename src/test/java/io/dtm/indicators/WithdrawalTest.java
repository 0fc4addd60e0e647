package io.dtm.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.IndicatorValue;
import io.dtm.events.Observation;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.IndicatorGauges;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.dtm.support.Drivers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indicators alone, reading {@code dtm.observations.v1} as when the ingest role runs in another application: a
 * tombstone (what a retraction writes) withdraws the observation of its key from every indicator, by series and by
 * group, as if it had never come.
 */
class WithdrawalTest {

    @TempDir
    Path dir;

    private static Observation obs(String feed, String reporter, String partner, String flow, String category,
            String period, double value, String hubGroup) {
        return new Observation(feed, reporter, partner, flow, category, period, value, "USD", "2025-01-01", "urn:t",
                feed + reporter + flow + category + period, null, null, null, hubGroup, false);
    }

    private static String key(Observation o) {
        return o.series().withPeriod(o.period());
    }

    private static List<Observation> observations() {
        Random random = new Random(3);
        List<Observation> out = new ArrayList<>();
        for (String reporter : List.of("CHN", "JPN", "KOR", "WLD")) {
            double scale = reporter.equals("WLD") ? 20 : 1;
            for (String[] s : new String[][] {{"EXPORT", "DDS"}, {"EXPORT", "SERVICES"}, {"IMPORT", "SERVICES"}}) {
                for (int year = 2018; year <= 2023; year++) {
                    out.add(obs("trade", reporter, "WLD", s[0], s[1], Integer.toString(year),
                            scale * (50 + random.nextInt(100)), null));
                }
            }
        }
        for (String region : List.of("CHN", "CHN-GUIZHOU", "CHN-GANSU")) {
            for (int year = 2020; year <= 2024; year++) {
                out.add(obs("compute", region, "", "", "INTELLIGENT_EFLOPS_FP16", Integer.toString(year),
                        (region.equals("CHN") ? 10 : 1) * (1 + random.nextDouble()),
                        region.equals("CHN") ? null : "NATIONAL_HUB"));
            }
        }
        for (String country : List.of("CHN", "JPN")) {
            for (int change = 0; change < 3; change++) {
                out.add(obs("policy", country, "", "", "DSTRI", (2018 + 2 * change) + "-07-01", random.nextDouble(),
                        null));
            }
        }
        return out;
    }

    /** The indicator values after the records (a {@code null} value is a tombstone), as a compacted topic holds them. */
    private Map<String, Double> run(Path stateDir, List<TestRecord<String, Observation>> records) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-test");
        IndicatorsTopology.build(builder, Catalogue.load("classpath:indicators.yaml"), null, new DtmMetrics(registry),
                new IndicatorGauges(registry, 30, 10_000), Stores::inMemoryKeyValueStore);
        Map<String, Double> values = new TreeMap<>();
        try (TopologyTestDriver driver = Drivers.of(builder.build(), stateDir)) {
            TestInputTopic<String, Observation> in = driver.createInputTopic(Topics.OBSERVATIONS.name(),
                    Topics.OBSERVATIONS.keySerde().serializer(), Topics.OBSERVATIONS.valueSerde().serializer());
            TestOutputTopic<String, IndicatorValue> out = driver.createOutputTopic(Topics.INDICATORS.name(),
                    Topics.INDICATORS.keySerde().deserializer(), Topics.INDICATORS.valueSerde().deserializer());
            records.forEach(in::pipeInput);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            for (TestRecord<String, IndicatorValue> r : out.readRecordsToList()) {
                if (r.value() == null) {
                    values.remove(r.key());
                } else {
                    values.put(r.key(), r.value().value());
                }
            }
        }
        return values;
    }

    private static List<TestRecord<String, Observation>> records(List<Observation> observations) {
        return observations.stream().map(o -> new TestRecord<>(key(o), o)).toList();
    }

    @Test
    void shouldWithdrawATombstonedObservationFromEveryIndicatorAsIfItHadNeverCome() {
        List<Observation> all = observations();
        Set<String> gone = Set.of("trade|CHN|WLD|EXPORT|DDS|2022", "trade|WLD|WLD|EXPORT|SERVICES|2021",
                "compute|CHN-GUIZHOU|||INTELLIGENT_EFLOPS_FP16|2023", "policy|JPN|||DSTRI|2020-07-01");
        List<Observation> kept = all.stream().filter(o -> !gone.contains(key(o))).toList();
        assertEquals(all.size() - gone.size(), kept.size());

        List<TestRecord<String, Observation>> withTombstones = new ArrayList<>(records(all));
        gone.forEach(k -> withTombstones.add(new TestRecord<>(k, null)));
        withTombstones.add(new TestRecord<>("trade|AUS|WLD|EXPORT|DDS|2022", null)); // never observed

        Map<String, Double> everything = run(dir.resolve("all"), records(all));
        Map<String, Double> expected = run(dir.resolve("kept"), records(kept));
        assertNotEquals(everything, expected, "the withdrawn observations were used");
        assertTrue(expected.size() > 50, "enough values: " + expected.size());
        assertEquals(expected, run(dir.resolve("withdrawn"), withTombstones));
    }
}
