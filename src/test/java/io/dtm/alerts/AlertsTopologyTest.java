package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtm.events.AlertTransition;
import io.dtm.events.IndicatorValue;
import io.dtm.events.ModelSnapshot;
import io.dtm.metrics.AlertGauges;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.dtm.streams.JsonSerde;
import io.dtm.streams.Topics;
import io.dtm.streams.TopologyProducer;
import io.dtm.support.Drivers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default alert rules on indicator values and model snapshots. */
class AlertsTopologyTest {

    @TempDir
    Path stateDir;

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private SimpleMeterRegistry registry;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> rules;
    private TestInputTopic<String, IndicatorValue> indicators;
    private TestInputTopic<String, ModelSnapshot> models;
    private TestOutputTopic<String, AlertTransition> alerts;

    @BeforeEach
    void setUp() {
        registry = new SimpleMeterRegistry();
        StreamsBuilder builder = TopologyProducer.newBuilder("dtm-test");
        AlertsTopology.build(builder, 3, new AlertGauges(registry), Stores::inMemoryKeyValueStore);
        driver = Drivers.of(builder.build(), stateDir, NOW);
        rules = driver.createInputTopic(Topics.ALERT_RULES.name(), Topics.ALERT_RULES.keySerde().serializer(),
                Topics.ALERT_RULES.valueSerde().serializer());
        AlertRules.load("classpath:alert-rules.yaml").byId().values().forEach(this::put);
        indicators = driver.createInputTopic(Topics.INDICATORS.name(), Topics.INDICATORS.keySerde().serializer(),
                Topics.INDICATORS.valueSerde().serializer());
        models = driver.createInputTopic(Topics.MODEL_RELEASES.name(), Topics.MODEL_RELEASES.keySerde().serializer(),
                Topics.MODEL_RELEASES.valueSerde().serializer());
        alerts = driver.createOutputTopic(Topics.ALERTS.name(), Topics.ALERTS.keySerde().deserializer(),
                Topics.ALERTS.valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void growth(String period, double value, String vintage) {
        growth("CHN", period, value, vintage);
    }

    private void growth(String reporter, String period, double value, String vintage) {
        IndicatorValue v = new IndicatorValue("trade-yoy-growth", "yoy_growth_pct", reporter, "WLD", "EXPORT", "DDS",
                period, value, false, List.of(new IndicatorValue.Input("trade|" + reporter + "|WLD|EXPORT|DDS", period,
                        1, vintage, "urn:test", "dds-" + period)), 0);
        indicators.pipeInput(v.topicKey(), v);
    }

    private void put(AlertRule rule) {
        rules.pipeInput(rule.id(), json(rule));
    }

    private static byte[] json(Object value) {
        try {
            return JsonSerde.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void withRule(String yaml) {
        AlertRules.parse(("rules:\n" + yaml).getBytes(StandardCharsets.UTF_8), "test").byId().values()
                .forEach(this::put);
    }

    @Test
    void shouldEvaluateARuleAddedLaterOnTheValuesAlreadyThereAndResolveItsAlertsWhenItIsDeleted() {
        growth("VNM", "2023", 9.0, "2024-04-01");
        growth("VNM", "2024", 1.5, "2025-04-01");
        assertTrue(alerts.isEmpty(), "no rule selects VNM yet");

        withRule("""
                  - {id: vnm-low, source: indicator, severity: warning, entry: trade-yoy-growth, reporter: VNM,
                     op: "<", threshold: 2, clear: 3}
                """);
        AlertTransition fired = alerts.readValue();
        assertEquals("vnm-low", fired.rule(), "a rule is evaluated on the values there as it arrives, in-band");
        assertEquals("firing", fired.status());
        assertEquals("2024", fired.period());

        withRule("""
                  - {id: vnm-low, source: indicator, severity: warning, entry: trade-yoy-growth, reporter: VNM,
                     op: "<", threshold: 1, clear: 1.2}
                """);
        assertEquals("resolved", alerts.readValue().status(), "a changed rule is evaluated again at once");

        withRule("""
                  - {id: vnm-low, source: indicator, severity: warning, entry: trade-yoy-growth, reporter: VNM,
                     op: "<", threshold: 2, clear: 3}
                """);
        assertEquals("firing", alerts.readValue().status());
        assertEquals(1.0, firing("vnm-low"));
        rules.pipeInput("vnm-low", null);
        AlertTransition deleted = alerts.readValue();
        assertEquals("resolved", deleted.status(), "deleting a rule resolves its firing alerts");
        assertEquals("vnm-low", deleted.rule());
        assertTrue(registry.find("dtm.alerts.firing").tag("rule", "vnm-low").gauges().isEmpty(),
                "a deleted rule's gauge goes");
        growth("VNM", "2025", 1.0, "2026-04-01");
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertTrue(alerts.isEmpty(), "nothing more of a deleted rule");
    }

    @Test
    void shouldRefuseARuleRecordThatIsNotAValidRuleAndGoOnWithTheNext() {
        // refused by throwing: the service's processing exception handler dead-letters it
        assertThrows(StreamsException.class, () -> rules.pipeInput("bad", "{}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(StreamsException.class, () -> rules.pipeInput("other-id", json(AlertRules.parse("""
                rules:
                  - {id: some-id, source: indicator, severity: info, entry: trade-yoy-growth, op: ">", threshold: 1}
                """.getBytes(StandardCharsets.UTF_8), "test").byId().get("some-id"))), "a rule under another key");
        withRule("""
                  - {id: vnm-low, source: indicator, severity: warning, entry: trade-yoy-growth, reporter: VNM,
                     op: "<", threshold: 2}
                """);
        growth("VNM", "2024", 1.5, "2025-04-01");
        assertEquals("vnm-low", alerts.readValue().rule(), "the rules after a bad record are read");
    }

    @Test
    void shouldRegisterTheFiringGaugeAtZeroForEveryRuleItReads() {
        assertEquals(0.0, firing("china-dds-growth-low"));
        assertEquals(0.0, firing("release-missing"));
    }

    @Test
    void shouldFireAMissingReleaseOnceTheNextYearIsOverdueAndResolveWhenItArrives() {
        growth("WLD", "2024", 5.0, "2025-04-01");
        assertTrue(alerts.readValuesToList().stream().noneMatch(a -> a.rule().equals("release-missing")),
                "2025 is due on 2026-11-01, after the driver's 2026-06-01");

        driver.advanceWallClockTime(Duration.ofDays(160)); // 2026-11-08
        AlertTransition missing = alerts.readValuesToList().stream().filter(a -> a.rule().equals("release-missing"))
                .findFirst().orElseThrow();
        assertEquals("firing", missing.status());
        assertEquals("2024", missing.period(), "the latest period received");
        assertEquals(Instant.parse("2026-11-01T00:00:00Z").toEpochMilli(), Long.parseLong(missing.since()));
        assertEquals(1.0, firing("release-missing"));

        growth("WLD", "2025", 6.1, "2026-11-10");
        AlertTransition released = alerts.readValuesToList().stream().filter(a -> a.rule().equals("release-missing"))
                .findFirst().orElseThrow();
        assertEquals("resolved", released.status());
        assertEquals("2025", released.period());
        assertEquals(0.0, firing("release-missing"));
    }

    private double firing(String rule) {
        return registry.get("dtm.alerts.firing").tag("rule", rule).gauge().value();
    }

    @Test
    void shouldFireWithProvenanceAndResolveWhenARevisionLiftsTheValuePastTheClearThreshold() {
        growth("2022", 6.0, "2023-03-01");
        growth("2023", 2.5, "2024-03-01");

        AlertTransition fired = alerts.readValue();
        assertEquals("china-dds-growth-low", fired.rule());
        assertEquals("firing", fired.status());
        assertEquals("inactive", fired.from());
        assertEquals(2.5, fired.value());
        assertEquals(6.0, fired.previousValue());
        assertEquals("dds-2023", fired.eventId());
        assertEquals("2024-03-01", fired.vintage());
        assertEquals("CHN", fired.labels().get("reporter"));
        assertEquals(1.0, firing("china-dds-growth-low"));

        growth("2024", 3.5, "2025-03-01");
        assertTrue(alerts.isEmpty(), "3.5 is between the thresholds: still firing, nothing to say");

        growth("2024", 4.2, "2025-09-01");
        AlertTransition resolved = alerts.readValue();
        assertEquals("resolved", resolved.status());
        assertEquals(4.2, resolved.value(), "the resolved notification carries the current value");
        assertEquals("country", resolved.scope());

        growth("2024", 2.0, "2025-10-01");
        growth("2024", 4.5, "2025-11-01");
        List<AlertTransition> revisions = alerts.readValuesToList();
        assertEquals(List.of("firing", "resolved"), revisions.stream().map(AlertTransition::status).toList(),
                "revisions of the latest period fire it again and take it back");
        assertEquals(4.5, revisions.get(1).value());
        assertEquals(0.0, firing("china-dds-growth-low"));
    }

    @Test
    void shouldGiveEachTransitionAStableIdAndFlagExactlyTheInconsistentGrowth() {
        IndicatorValue gap = new IndicatorValue("growth-consistency-gap", "growth_consistency_gap_pp", "WLD", "WLD",
                "EXPORT", "GOODS", "2024", -17.8, false, List.of(), 0);
        IndicatorValue small = new IndicatorValue("growth-consistency-gap", "growth_consistency_gap_pp", "WLD", "WLD",
                "EXPORT", "DDS", "2024", 0.03, false, List.of(), 0);
        indicators.pipeInput(gap.topicKey(), gap);
        indicators.pipeInput(small.topicKey(), small);
        List<AlertTransition> out = alerts.readValuesToList();
        assertEquals(1, out.size());
        assertEquals("GOODS", out.get(0).labels().get("category"));
        assertEquals("consistency-gap", out.get(0).rule());
    }

    /** The estimate as of release {@code vintage}, with the rolling infra term's p and the stability ratio. */
    private static ModelSnapshot snapshot(String vintage, double pInfra, double ratio) {
        return snapshot(vintage, pInfra, ratio, null, null);
    }

    /**
     * The same with a Chow bootstrap p-value and a driver-shift test whose joint p is {@code shiftP} ({@code null}:
     * none).
     */
    private static ModelSnapshot snapshot(String vintage, double pInfra, double ratio, Double chowP, Double shiftP) {
        ModelSnapshot.Inference i = new ModelSnapshot.Inference(0.1, 2, pInfra, 0, 1, 10, "clustered");
        ModelSnapshot.Term infra = new ModelSnapshot.Term("infra", 0.5, 0.0, 0.3, "SIGNIFICANT", i, i);
        ModelSnapshot.Estimate rolling = new ModelSnapshot.Estimate("rolling", "OK", null, 2019, 2023, 60, 12, 40,
                0.6, List.of(infra), List.of(), List.of("infra"));
        return new ModelSnapshot("drivers", 1, 0, new ModelSnapshot.Trigger("urn:t", "e-" + vintage, vintage, "CHN",
                2023), List.of(rolling), new ModelSnapshot.Stability("OK", "", ratio, 2020, 2022, null, null, "OK",
                        chowP, shiftP == null ? null : new ModelSnapshot.Shift("OK", null, 2010, 2019, 2023, 140, 14,
                                List.of(), List.of(), new ModelSnapshot.ShiftJoint(3, 6, 13, shiftP / 10, shiftP))));
    }

    private void release(String vintage, double pInfra, double ratio) {
        release(vintage, pInfra, ratio, null, null);
    }

    private void release(String vintage, double pInfra, double ratio, Double chowP, Double shiftP) {
        models.pipeInput("drivers|" + vintage, snapshot(vintage, pInfra, ratio, chowP, shiftP));
    }

    @Test
    void shouldFireASignificanceFlipOnlyAfterTheTermWasSignificant() {
        release("2021-06-30", 0.30, 0.5);
        assertTrue(alerts.readValuesToList().stream().noneMatch(a -> a.rule().equals("driver-significance-lost")),
                "never significant yet: not armed");
        release("2022-06-30", 0.01, 0.5);
        release("2023-06-30", 0.07, 0.5);
        assertTrue(alerts.isEmpty(), "between 0.05 and 0.10 nothing changes");
        release("2024-06-30", 0.20, 0.5);
        AlertTransition lost = alerts.readValue();
        assertEquals("driver-significance-lost", lost.rule());
        assertEquals("firing", lost.status());
        assertEquals("infra", lost.labels().get("term"));
        assertEquals("2024-06-30", lost.since(), "the run began at the release that lost it");
        assertEquals("2024-06-30", lost.vintage());
        assertEquals("e-2024-06-30", lost.eventId());
        assertEquals(0.07, lost.previousValue(), "the release before");
        release("2025-06-30", 0.04, 0.5);
        assertEquals("resolved", alerts.readValue().status());
    }

    @Test
    void shouldEvaluateModelRulesOverTheReleasesWhateverTheOrderTheyArriveIn() {
        release("2024-06-30", 0.20, 0.5);
        release("2022-06-30", 0.01, 0.5);
        List<AlertTransition> out = alerts.readValuesToList();
        assertEquals(List.of("firing"), out.stream().filter(a -> a.rule().equals("driver-significance-lost"))
                .map(AlertTransition::status).toList(), "an earlier release that arrives later arms the rule");
        assertEquals("2024-06-30", out.get(out.size() - 1).since());
        assertEquals(0.01, out.get(out.size() - 1).previousValue());

        models.pipeInput("drivers|2022-06-30", null);
        AlertTransition withdrawn = alerts.readValue();
        assertEquals("resolved", withdrawn.status(), "without the release that armed it, it never fired");
        assertEquals(0.0, firing("driver-significance-lost"));
        assertTrue(alerts.isEmpty());
        assertThrows(RuntimeException.class, () -> models.pipeInput("drivers|not-a-release",
                snapshot("2022-06-30", 0.01, 0.5)), "a value whose key names no release is refused (dead-lettered)");
        assertThrows(RuntimeException.class, () -> models.pipeInput("drivers|2023-06-30",
                snapshot("2022-06-30", 0.01, 0.5)), "and so is an estimate as of another release than its key's");
    }

    @Test
    void shouldFireModelUnstableWhenTheClusteredChowTestRejects() {
        release("2024-06-30", 0.01, 1.4);
        assertTrue(alerts.readValuesToList().stream().noneMatch(a -> a.rule().equals("model-unstable")),
                "the CUSUM ratio alone no longer fires it");
        release("2025-06-30", 0.01, 0.5, 0.01, null);
        List<AlertTransition> out = alerts.readValuesToList();
        assertTrue(out.stream().anyMatch(a -> a.rule().equals("model-unstable") && a.status().equals("firing")), out
                .toString());
        assertEquals(1.0, firing("model-unstable"));
    }

    @Test
    void shouldFireDriverShiftOnTheJointPValueAndResolveAboveItsClearLevel() {
        release("2022-06-30", 0.01, 0.5, null, 0.30);
        assertTrue(alerts.readValuesToList().stream().noneMatch(a -> a.rule().equals("driver-shift")));
        release("2023-06-30", 0.01, 0.5, null, 0.02);
        AlertTransition shift = alerts.readValuesToList().stream().filter(a -> a.rule().equals("driver-shift"))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals("firing", shift.status());
        assertEquals("joint", shift.labels().get("term"));
        assertEquals(0.02, shift.value());
        release("2024-06-30", 0.01, 0.5, null, 0.07);
        assertTrue(alerts.readValuesToList().stream().noneMatch(a -> a.rule().equals("driver-shift")),
                "between 0.05 and 0.10 it keeps firing");
        release("2025-06-30", 0.01, 0.5, null, 0.40);
        assertTrue(alerts.readValuesToList().stream().anyMatch(a -> a.rule().equals("driver-shift")
                && a.status().equals("resolved")));
    }
}
