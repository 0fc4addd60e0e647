package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtm.streams.JsonSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each rule kind's {@code next}: what an alert becomes as inputs arrive and time passes, without Kafka. */
class AlertRuleNextTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Map<String, String> LABELS = Map.of("reporter", "CHN");

    private static AlertInput input(String period, Double value, String eventId) {
        return new AlertInput("r", LABELS, period, value, "urn:test", eventId, period + "-v", null);
    }

    /** Feeds the inputs one by one, as the processor does; returns the state after each. */
    private static List<AlertRecord> run(AlertRule rule, AlertInput... arrived) {
        NavigableMap<String, AlertInput> inputs = new TreeMap<>();
        List<AlertRecord> states = new ArrayList<>();
        AlertRecord state = null;
        for (AlertInput in : arrived) {
            if (in.value() == null) {
                inputs.remove(in.period());
            } else {
                inputs.put(in.period(), in);
            }
            state = rule.next(state, new AlertHistory(in, new TreeMap<>(inputs)), NOW);
            states.add(state);
        }
        return states;
    }

    private static final IndicatorThreshold BELOW_3 = new IndicatorThreshold("r", "indicator", "warning", null, null,
            null, "trade-yoy-growth", "CHN", null, null, null, null, "<", 3.0, 4.0, 2);

    @Test
    void shouldFireAnIndicatorThresholdAfterForPeriodsAndKeepTheProvenanceOfTheLatestPeriod() {
        List<AlertRecord> states = run(BELOW_3, input("2022", 2.0, "e22"), input("2023", 1.0, "e23"),
                input("2021", 9.0, "e21"));
        assertEquals(AlertStatus.PENDING, states.get(0).status());
        AlertRecord firing = states.get(1);
        assertEquals(AlertStatus.FIRING, firing.status());
        assertEquals(new Since.AtPeriod("2022"), firing.since(), "the run began at its first active period");
        assertEquals("2023", firing.period());
        assertEquals(2.0, firing.previousValue());
        assertEquals("e23", firing.eventId());
        AlertRecord late = states.get(2);
        assertEquals(AlertStatus.FIRING, late.status(), "an earlier period arriving later changes nothing");
        assertEquals("e23", late.eventId(), "the provenance stays that of the latest period");
        assertSame(late, BELOW_3.next(late, AlertHistory.tick(), NOW.plus(Duration.ofDays(999))),
                "time alone changes nothing");
    }

    @Test
    void shouldEvaluateTheChangeOfAnIndicatorAndHaveNoStateWithoutAValue() {
        IndicatorThreshold drop = new IndicatorThreshold("r", "indicator", "warning", null, null, null, "openness",
                null, null, null, null, "change", "<", -0.05, 0.0, null);
        List<AlertRecord> states = run(drop, input("2022", 0.50, "a"), input("2023", 0.40, "b"),
                input("2023", null, "b"), input("2022", null, "a"));
        assertNull(states.get(0), "one period has no change");
        assertEquals(AlertStatus.FIRING, states.get(1).status());
        assertEquals(-0.10, states.get(1).value(), 1e-12);
        assertNull(states.get(2), "the change is gone with its period");
        assertNull(states.get(3));
    }

    @Test
    void shouldFireAModelThresholdOnlyOnceArmedAndSpannedAtTheReleaseItFiredAt() {
        ModelThreshold lost = new ModelThreshold("r", "model", "warning", null, null, "drivers", "rolling",
                List.of("infra"), "p_value", true, ">", 0.10, 0.05, null, "P365D");
        List<AlertRecord> states = run(lost, input("2021-06-30", 0.30, "a"), input("2022-06-30", 0.01, "b"),
                input("2024-06-30", 0.20, "c"), input("2025-06-30", 0.15, "d"));
        assertEquals(AlertStatus.INACTIVE, states.get(0).status(), "never significant: not armed");
        assertFalse(states.get(0).armed());
        assertTrue(states.get(1).armed());
        assertEquals(AlertStatus.PENDING, states.get(2).status(), "one release date is no span of a year");
        AlertRecord firing = states.get(3);
        assertEquals(AlertStatus.FIRING, firing.status());
        assertEquals(new Since.AtPeriod("2024-06-30"), firing.since());
        assertEquals("2025-06-30", firing.period(), "the release it fired at, a year after the run began");
        assertEquals("d", firing.eventId());
        assertEquals(0.20, firing.previousValue());
        assertSame(firing, lost.next(firing, AlertHistory.tick(), NOW), "nothing of it is on the wall clock");
    }

    @Test
    void shouldFireAMissingReleaseWhenTheNextPeriodIsOverdueAndResolveWhenItArrives() {
        MissingRelease missing = new MissingRelease("r", "release", "warning", null, null, null, "trade-yoy-growth",
                "WLD", null, null, null, "P10M");
        AlertRecord waiting = run(missing, input("2024", 5.0, "e24")).get(0);
        assertEquals(AlertStatus.INACTIVE, waiting.status(), "2025 is due on 2026-11-01");
        Instant due = Instant.parse("2026-11-01T00:00:00Z");
        assertEquals(new Since.AtInstant(due.toEpochMilli()), waiting.since());
        assertEquals(Long.toString(due.toEpochMilli()), waiting.since().text(), "as transitions carry it");
        assertSame(waiting, missing.next(waiting, AlertHistory.tick(), due.minusMillis(1)));
        AlertRecord overdue = missing.next(waiting, AlertHistory.tick(), due);
        assertEquals(AlertStatus.FIRING, overdue.status());
        assertEquals("2024", overdue.period());
        assertEquals("e24", overdue.eventId());

        NavigableMap<String, AlertInput> inputs = new TreeMap<>(Map.of("2024", input("2024", 5.0, "e24"),
                "2025", input("2025", 6.1, "e25")));
        AlertRecord released = missing.next(overdue, new AlertHistory(input("2025", 6.1, "e25"), inputs), due);
        assertEquals(AlertStatus.INACTIVE, released.status(), "2026 is not due yet");
        assertEquals("2025", released.period());
        assertEquals(5.0, released.previousValue());
    }

    @Test
    void shouldSpanADurationBetweenReleaseDates() {
        assertTrue(DurationEvaluation.spans("2024-06-30", "2024-06-30", Duration.ZERO));
        assertFalse(DurationEvaluation.spans("2024-06-30", "2025-06-29", Duration.ofDays(365)));
        assertTrue(DurationEvaluation.spans("2024-06-30", "2025-06-30", Duration.ofDays(365)));
    }

    @Test
    void shouldReadAndWriteTheRuleDocumentsOfTodayByTheirSource() throws Exception {
        for (AlertRule rule : AlertRules.load("classpath:alert-rules.yaml").byId().values()) {
            JsonNode json = JsonSerde.MAPPER.valueToTree(rule);
            assertEquals(rule.source(), json.get("source").asText(), "source is written once, as a field");
            assertEquals(rule, JsonSerde.MAPPER.treeToValue(json, AlertRule.class));
            assertEquals(List.of(), rule.problems());
        }
        assertInstanceOf(MissingRelease.class, AlertRules.load("classpath:alert-rules.yaml").byId()
                .get("release-missing"));
        assertThrows(Exception.class, () -> JsonSerde.MAPPER.readValue("{\"id\": \"x\"}", AlertRule.class),
                "no source, no rule");
        RuleVersion version = new RuleVersion(7, BELOW_3, false);
        assertEquals(version, JsonSerde.MAPPER.readValue(JsonSerde.MAPPER.writeValueAsBytes(version),
                RuleVersion.class));
        AlertRecord state = run(BELOW_3, input("2022", 2.0, "e"), input("2023", 1.0, "f")).get(1);
        assertEquals(state, JsonSerde.MAPPER.readValue(JsonSerde.MAPPER.writeValueAsBytes(state),
                AlertRecord.class), "a typed since, kept in the state store");
    }
}
