package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.AlertTransition;
import io.dtm.ingest.IngestTopology;
import io.dtm.metrics.AlertGauges;
import io.dtm.metrics.DtmMetrics;
import io.dtm.metrics.ModelGauges;
import io.dtm.model.ModelSpec;
import io.dtm.model.ModelTopology;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.dtm.support.Drivers;
import io.dtm.support.ReleasePanel;
import io.dtm.support.TestClock;
import io.dtm.support.TestEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model alerts are a function of the events: the ingest, model and alerts sub-topologies in one driver, the same
 * panel (with revisions and repeats) published release by release and in seeded shuffles, the wall clock advanced
 * at different points (so that the model is estimated on half-loaded panels at different moments), give the same
 * pending and firing alerts with the same transitions.
 */
class ModelAlertsOrderTest {

    static final Map<String, ModelSpec> SPECS = specs();

    @TempDir
    Path stateDir;

    /** What a run ends with: the latest transition of every alert that is pending or firing, by alert. */
    record Outcome(Map<String, AlertTransition> active, List<AlertTransition> all) {
    }

    @Test
    void shouldRaiseTheSameModelAlertsForEveryOrderAndTiming() {
        List<ReleasePanel.Event> panel = ReleasePanel.events(ReleasePanel.A, 5);
        Outcome inOrder = run("in-order", panel, null);
        Map<String, AlertTransition> expected = comparable(inOrder.active());
        assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("driver-significance-lost|drivers|rolling|")),
                "the panel makes the rolling infrastructure term lose its significance: " + expected.keySet());
        assertTrue(inOrder.all().stream().anyMatch(t -> t.status().equals("resolved")) || expected.size() > 1,
                "more than one alert or a resolution: " + inOrder.all());

        int transients = 0;
        for (long seed : new long[] {1, 2, 3}) {
            Random random = new Random(seed);
            List<ReleasePanel.Event> shuffled = new ArrayList<>(panel);
            Collections.shuffle(shuffled, random);
            Outcome outcome = run("shuffled-" + seed, shuffled, random);
            assertEquals(expected, comparable(outcome.active()), "seed " + seed);
            transients += outcome.all().size() - inOrder.all().size();
        }
        System.out.printf("model alerts: %d active alerts equal for the ordered panel and 3 shuffles (%d transitions"
                + " in order, %d more over the shuffles)%n", expected.size(), inOrder.all().size(), transients);
    }

    /** Revisions and repeats make sure that the shuffles are not trivially the same order. */
    @Test
    void shouldPublishAPanelWithRevisionsAndRepeats() {
        List<ReleasePanel.Event> panel = ReleasePanel.events(ReleasePanel.A, 5);
        assertNotEquals(panel.size(), panel.stream().map(ReleasePanel.Event::id).distinct().count(), "repeats");
        assertFalse(panel.stream().filter(e -> e.id().endsWith("@" + (Integer.parseInt(e.data().get("period")
                .asText()) + 2) + "-06-30")).toList().isEmpty(), "revisions at the next release");
    }

    /**
     * Publishes the events; with {@code random}, advances the wall clock by up to 3 s after about one event in
     * eight, otherwise by 3 s after each release. Then lets the model settle.
     */
    private Outcome run(String name, List<ReleasePanel.Event> events, Random random) {
        return replay(stateDir.resolve(name), events, random);
    }

    /** {@link #run} with the driver's state under {@code dir}. */
    static Outcome replay(Path dir, List<ReleasePanel.Event> events, Random random) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DtmMetrics metrics = new DtmMetrics(registry);
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-test");
        IngestTopology.build(builder, metrics, Duration.ofDays(30), Duration.ofHours(1), 64, 3,
                Stores::inMemoryKeyValueStore, TestClock.FIXED);
        ModelTopology.build(builder, SPECS, metrics, new ModelGauges(registry), Stores::inMemoryKeyValueStore);
        AlertsTopology.build(builder, 3, new AlertGauges(registry), Stores::inMemoryKeyValueStore);
        List<AlertTransition> transitions = new ArrayList<>();
        try (TopologyTestDriver driver = Drivers.of(builder.build(), dir,
                Instant.parse("2026-12-01T00:00:00Z"))) {
            var alerts = driver.createOutputTopic(Topics.ALERTS.name(), Topics.ALERTS.keySerde().deserializer(),
                    Topics.ALERTS.valueSerde().deserializer());
            publishRules(driver, AlertRules.load("classpath:alert-rules.yaml").byId().values());
            String release = null;
            for (ReleasePanel.Event e : events) {
                if (random == null && release != null && !release.equals(e.vintage())) {
                    driver.advanceWallClockTime(Duration.ofSeconds(3));
                } else if (random != null && random.nextInt(8) == 0) {
                    driver.advanceWallClockTime(Duration.ofMillis(random.nextInt(3000)));
                }
                release = e.vintage();
                TestInputTopic<byte[], byte[]> topic = driver.createInputTopic(Topics.of(e.feed()).name(),
                        Topics.of(e.feed()).keySerde().serializer(), Topics.of(e.feed()).valueSerde().serializer());
                topic.pipeInput(TestEvents.bytes("k"), TestEvents.bytes(e.cloudEvent("urn:test:releases")));
                transitions.addAll(alerts.readValuesToList());
            }
            for (int i = 0; i < 3; i++) {
                driver.advanceWallClockTime(Duration.ofSeconds(3));
            }
            transitions.addAll(alerts.readValuesToList());
        }
        return new Outcome(active(transitions), transitions);
    }

    /** Writes {@code rules} to {@code dtm.alert-rules.v1}, as the service's REST API does. */
    static void publishRules(TopologyTestDriver driver, Collection<AlertRule> rules) {
        TestInputTopic<String, byte[]> topic = driver.createInputTopic(Topics.ALERT_RULES.name(),
                Topics.ALERT_RULES.keySerde().serializer(), Topics.ALERT_RULES.valueSerde().serializer());
        rules.forEach(rule -> topic.pipeInput(rule.id(), json(rule)));
    }

    /** A rule as it is written to {@code dtm.alert-rules.v1}. */
    static byte[] json(AlertRule rule) {
        try {
            return JsonSerde.MAPPER.writeValueAsBytes(rule);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, ModelSpec> specs() {
        Map<String, ModelSpec> specs = new java.util.LinkedHashMap<>();
        ModelSpec.load("classpath:models-releases.yaml").forEach(s -> specs.put(s.name(), s));
        return specs;
    }

    /** The latest transition of each alert whose latest transition is pending or firing. */
    static Map<String, AlertTransition> active(List<AlertTransition> transitions) {
        Map<String, AlertTransition> latest = new TreeMap<>();
        transitions.forEach(t -> latest.put(t.key(), t));
        latest.values().removeIf(t -> !t.status().equals("pending") && !t.status().equals("firing"));
        return latest;
    }

    /**
     * The transitions without what is not the data's: the wall-clock time they were made at, and the state they
     * came from (a shuffle may have fired an alert on a half-loaded panel and resolved it again before the state
     * that the data gives).
     */
    static Map<String, AlertTransition> comparable(Map<String, AlertTransition> active) {
        Map<String, AlertTransition> out = new TreeMap<>();
        active.forEach((key, t) -> out.put(key, new AlertTransition(t.key(), t.id(), t.rule(), t.severity(),
                t.scope(), t.description(), t.labels(), null, t.status(), t.since(), t.period(), t.value(),
                t.previousValue(), 0, t.source(), t.eventId(), t.vintage())));
        return out;
    }
}
