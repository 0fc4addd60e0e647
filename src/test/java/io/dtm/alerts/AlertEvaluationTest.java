package io.dtm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void shouldFireAfterTheDurationOnWallClockTime() {
        Condition above = Condition.of(Condition.Op.GT, 1);
        DurationEvaluation.State s = DurationEvaluation.onValue(DurationEvaluation.State.inactive(), above, 60_000,
                1.2, 1_000);
        assertEquals(AlertStatus.PENDING, s.status());
        assertEquals(AlertStatus.PENDING, DurationEvaluation.onTime(s, 60_000, 30_000).status());
        s = DurationEvaluation.onTime(s, 60_000, 61_000);
        assertEquals(AlertStatus.FIRING, s.status());
        s = DurationEvaluation.onValue(s, above, 60_000, 1.5, 70_000);
        assertEquals(AlertStatus.FIRING, s.status());
        assertEquals(1_000, s.since());
        s = DurationEvaluation.onValue(s, above, 60_000, 0.9, 80_000);
        assertEquals(AlertStatus.RESOLVED, s.status());
        assertEquals(AlertStatus.INACTIVE, DurationEvaluation.onValue(DurationEvaluation.State.inactive(), above,
                60_000, 0.5, 90_000).status());
    }

    @Test
    void shouldRejectAClearThresholdOnTheFiringSide() {
        assertThrows(IllegalArgumentException.class, () -> new Condition(Condition.Op.LT, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new Condition(Condition.Op.GT, 1, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Condition.Op.of("=="));
    }
}
