package io.dtm.alerts;

import java.util.Map;
import java.util.NavigableMap;

/**
 * Evaluates a threshold rule over a series of periodic values (an indicator by period): the state is what the
 * rule gives when its state machine runs over the periods in order, so it depends on the values and not on the
 * order they arrived in, and a revision of any period is taken into account. {@code forPeriods} consecutive
 * active periods fire; a firing alert resolves when the clear condition no longer holds.
 */
public final class PeriodEvaluation {

    private PeriodEvaluation() {
    }

    /**
     * The state at the latest period.
     *
     * @param status the state; {@code RESOLVED} when the latest period ended a firing run
     * @param since  the period the current state began (the first active period of a pending or firing run)
     * @param period the latest period
     * @param value  the latest value
     */
    public record State(AlertStatus status, String since, String period, double value) {
    }

    public static State evaluate(Condition condition, int forPeriods, NavigableMap<String, Double> values) {
        AlertStatus status = AlertStatus.INACTIVE;
        String since = null;
        int run = 0;
        String period = null;
        double value = Double.NaN;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            period = e.getKey();
            value = e.getValue();
            if (status == AlertStatus.FIRING) {
                if (!condition.holds(value)) {
                    status = AlertStatus.RESOLVED;
                    since = period;
                    run = 0;
                }
                continue;
            }
            if (condition.active(value)) {
                run++;
                if (run == 1) {
                    since = period;
                }
                status = run >= forPeriods ? AlertStatus.FIRING : AlertStatus.PENDING;
            } else {
                run = 0;
                since = null;
                status = AlertStatus.INACTIVE;
            }
        }
        return new State(status, since, period, value);
    }
}
