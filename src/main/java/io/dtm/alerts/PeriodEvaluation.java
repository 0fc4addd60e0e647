package io.dtm.alerts;

import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Evaluates a threshold rule over a series of periodic values (an indicator by period, a model output by release):
 * the state is what the rule gives when its state machine runs over the periods in order, so it depends on the
 * values and not on the order they arrived in, and a revision of any period is taken into account.
 * {@code forPeriods} consecutive active periods fire; a firing alert resolves when the clear condition no longer
 * holds.
 */
public final class PeriodEvaluation {

    private PeriodEvaluation() {
    }

    /**
     * The state at the latest period.
     *
     * @param status the state; {@code RESOLVED} when the latest period ended a firing run
     * @param since  the period the current state began (the first active period of a pending or firing run)
     * @param period  the latest period
     * @param value   the latest value
     * @param entered the period the current state was entered at: the one that fired a firing alert, the first
     *                active one of a pending alert, the one that resolved a resolved alert (the latest for an
     *                inactive one)
     */
    public record State(AlertStatus status, String since, String period, double value, String entered) {
    }

    public static State evaluate(Condition condition, int forPeriods, NavigableMap<String, Double> values) {
        return evaluate(condition, forPeriods, false, Duration.ZERO, values);
    }

    /**
     * The state at the latest period, with the options of model rules, whose periods are releases (vintages,
     * {@code YYYY-MM-DD}).
     *
     * @param armed   the rule is armed only from the first period where the clear condition does not hold (a
     *                significance flip: p must have been below the clear threshold before it may fire above the
     *                threshold); periods before are inactive
     * @param minSpan an active run fires only once its latest period is at least this long after its first (dates
     *                of the periods, time on the data's axis, not the wall clock: {@link DurationEvaluation});
     *                {@link Duration#ZERO} for none
     */
    public static State evaluate(Condition condition, int forPeriods, boolean armed, Duration minSpan,
            NavigableMap<String, Double> values) {
        AlertStatus status = AlertStatus.INACTIVE;
        String since = null;
        int run = 0;
        boolean ready = !armed;
        String period = null;
        String entered = null;
        double value = Double.NaN;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            period = e.getKey();
            value = e.getValue();
            if (!ready) {
                ready = !condition.holds(value);
                entered = period;
                continue;
            }
            if (status == AlertStatus.FIRING) {
                if (!condition.holds(value)) {
                    status = AlertStatus.RESOLVED;
                    since = period;
                    entered = period;
                    run = 0;
                }
                continue;
            }
            if (condition.active(value)) {
                run++;
                if (run == 1) {
                    since = period;
                    entered = period;
                }
                AlertStatus next = run >= forPeriods && DurationEvaluation.spans(since, period, minSpan)
                        ? AlertStatus.FIRING
                        : AlertStatus.PENDING;
                if (next == AlertStatus.FIRING) {
                    entered = period;
                }
                status = next;
            } else {
                run = 0;
                since = null;
                entered = period;
                status = AlertStatus.INACTIVE;
            }
        }
        return new State(status, since, period, value, entered);
    }
}
