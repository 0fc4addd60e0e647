package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlertEvaluationTest {

    private static final Condition BELOW_3_CLEAR_AT_4 = new Condition(Condition.Op.LT, 3, 4);

    private static TreeMap<String, Double> series(double... values) {
        TreeMap<String, Double> map = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(Integer.toString(2010 + i), values[i]);
        }
        return map;
    }

    @Test
    void shouldFireOnlyAfterForConsecutivePeriods() {
        assertEquals(AlertStatus.PENDING, PeriodEvaluation.evaluate(BELOW_3_CLEAR_AT_4, 2, series(5, 2)).status());
        PeriodEvaluation.State firing = PeriodEvaluation.evaluate(BELOW_3_CLEAR_AT_4, 2, series(5, 2, 1));
        assertEquals(AlertStatus.FIRING, firing.status());
        assertEquals("2011", firing.since());
        PeriodEvaluation.State restarted = PeriodEvaluation.evaluate(BELOW_3_CLEAR_AT_4, 2, series(2, 5, 2));
        assertEquals(AlertStatus.PENDING, restarted.status(), "a break in the run starts it again");
        assertEquals("2012", restarted.since());
    }

    @Test
    void shouldResolveOnlyWhenTheClearThresholdIsCrossed() {
        assertEquals(AlertStatus.FIRING, PeriodEvaluation.evaluate(BELOW_3_CLEAR_AT_4, 1, series(2, 3.5)).status(),
                "between the thresholds a firing alert keeps firing");
        PeriodEvaluation.State resolved = PeriodEvaluation.evaluate(BELOW_3_CLEAR_AT_4, 1, series(2, 3.5, 4));
        assertEquals(AlertStatus.RESOLVED, resolved.status());
        assertEquals(4.0, resolved.value(), "a resolved alert carries the current value, not a stale one");
        assertEquals(AlertStatus.INACTIVE, PeriodEvaluation.evaluate(BELOW_3_CLEAR_AT_4, 1, series(2, 4, 5)).status());
    }

    @Test
    void shouldNotFlapWhenTheInputFlapsAroundTheThreshold() {
        double[] flapping = new double[40];
        for (int i = 0; i < flapping.length; i++) {
            flapping[i] = i % 2 == 0 ? 2.9 : 3.1;
        }
        List<AlertStatus> states = new ArrayList<>();
        TreeMap<String, Double> all = series(flapping);
        TreeMap<String, Double> seen = new TreeMap<>();
        all.forEach((period, value) -> {
            seen.put(period, value);
            states.add(PeriodEvaluation.evaluate(BELOW_3_CLEAR_AT_4, 1, seen).status());
        });
        assertEquals(List.of(AlertStatus.FIRING), states.stream().distinct().toList(),
                "fires once and stays firing: no flapping output");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldReachTheSameStateWhateverOrderThePeriodsArriveIn(long seed) {
        Random random = new Random(seed);
        TreeMap<String, Double> all = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            all.put(Integer.toString(1990 + i), random.nextDouble() * 6);
        }
        PeriodEvaluation.State expected = PeriodEvaluation.evaluate(BELOW_3_CLEAR_AT_4, 2, all);
        List<String> order = new ArrayList<>(all.keySet());
        Collections.shuffle(order, random);
        TreeMap<String, Double> arrived = new TreeMap<>();
        PeriodEvaluation.State last = null;
        for (String period : order) {
            arrived.put(period, all.get(period));
            last = PeriodEvaluation.evaluate(BELOW_3_CLEAR_AT_4, 2, arrived);
        }
        assertEquals(expected, last);
    }

    @Test
    void shouldFireAModelRuleOnlyOnceArmedAndAfterItsSpanOfReleaseDates() {
        Condition lost = new Condition(Condition.Op.GT, 0.10, 0.05);
        TreeMap<String, Double> p = new TreeMap<>();
        p.put("2021-06-30", 0.30);
        PeriodEvaluation.State s = PeriodEvaluation.evaluate(lost, 1, true, Duration.ZERO, p);
        assertEquals(AlertStatus.INACTIVE, s.status(), "never significant: not armed");
        assertEquals(AlertStatus.FIRING, PeriodEvaluation.evaluate(lost, 1, false, Duration.ZERO, p).status(),
                "the same value fires a rule that is not armed");
        p.put("2022-06-30", 0.01);
        p.put("2023-06-30", 0.07);
        assertEquals(AlertStatus.INACTIVE, PeriodEvaluation.evaluate(lost, 1, true, Duration.ZERO, p).status());
        p.put("2024-06-30", 0.20);
        s = PeriodEvaluation.evaluate(lost, 1, true, Duration.ZERO, p);
        assertEquals(new PeriodEvaluation.State(AlertStatus.FIRING, "2024-06-30", "2024-06-30", 0.20,
                "2024-06-30"), s);
        PeriodEvaluation.State spanned = PeriodEvaluation.evaluate(lost, 1, true, Duration.ofDays(366), p);
        assertEquals(AlertStatus.PENDING, spanned.status(), "one release date is no span of a year");
        p.put("2025-06-30", 0.15);
        spanned = PeriodEvaluation.evaluate(lost, 1, true, Duration.ofDays(365), p);
        assertEquals(AlertStatus.FIRING, spanned.status());
        assertEquals("2024-06-30", spanned.since());
        assertEquals("2025-06-30", spanned.entered(), "fired at the release a year after the run began");
        assertEquals("2024-06-30", PeriodEvaluation.evaluate(lost, 1, true, Duration.ZERO, p).entered(),
                "a firing alert stays at the release it fired at");
        assertEquals(AlertStatus.PENDING, PeriodEvaluation.evaluate(lost, 3, true, Duration.ZERO, p).status());
        p.put("2026-01-31", 0.04);
        s = PeriodEvaluation.evaluate(lost, 1, true, Duration.ZERO, p);
        assertEquals(AlertStatus.RESOLVED, s.status());
        assertEquals("2026-01-31", s.since());
    }

    @Test
    void shouldRejectAClearThresholdOnTheFiringSide() {
        assertThrows(IllegalArgumentException.class, () -> new Condition(Condition.Op.LT, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new Condition(Condition.Op.GT, 1, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Condition.Op.of("=="));
    }
}
